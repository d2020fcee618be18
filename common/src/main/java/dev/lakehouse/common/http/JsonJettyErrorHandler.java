package dev.lakehouse.common.http;

import dev.lakehouse.common.json.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.util.List;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Errors Jetty answers itself, before Javalin sees the request (oversized headers → 431, a broken request
 * line or bad UTF-8 in the path → 400), get the same JSON body as every other error, never a stack trace.
 * Jetty asks the server's handler for errors found while parsing, and the servlet context's handler for
 * the rest, so there is one of each.
 */
final class JsonJettyErrorHandler extends ErrorHandler {
    JsonJettyErrorHandler() {
        setShowStacks(false);
        setShowCauses(false);
    }

    /** Jetty writes error bodies for GET/POST/HEAD only; clients of PUT and DELETE deserve one too. */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
            Callback callback) {
        writeJson(response, code, message, callback);
    }

    /** The servlet-context flavour of the same handler. */
    static final class ForServletContext extends org.eclipse.jetty.ee10.servlet.ErrorHandler {
        ForServletContext() {
            setShowStacks(false);
            setShowCauses(false);
        }

        @Override
        public boolean errorPageForMethod(String method) {
            return true;
        }

        @Override
        protected boolean generateAcceptableResponse(Request request, Response response, Callback callback,
                String contentType, List<Charset> charsets, int code, String message, Throwable cause) throws IOException {
            writeJson(response, code, message, callback);
            return true;
        }
    }

    static void writeJson(Response response, int code, String message, Callback callback) {
        String text = message == null || message.isBlank() ? HttpStatus.getMessage(code) : message;
        byte[] body = Json.bytes(ErrorMapper.body(code, text));
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }
}
