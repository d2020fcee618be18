package dev.lakehouse.queryd.result;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** The text writers' buffer counts what left. */
class ByteSinkTest {
    @Test
    void theSinkCountsTheBytesHandedToTheResponseNotThoseStillInItsBuffer() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteSink sink = new ByteSink(out, 100);
        sink.write(new byte[60], 0, 60);
        assertEquals(0, sink.bytes(), "60 bytes wait in the buffer");
        sink.write(new byte[60], 0, 60); // does not fit: the first 60 leave
        assertEquals(60, sink.bytes());
        sink.write(new byte[250], 0, 250); // larger than the buffer: the 60 waiting, then the 250 straight through
        assertEquals(370, sink.bytes());
        sink.write(7);
        sink.flush();
        assertEquals(371, sink.bytes());
        assertEquals(out.size(), sink.bytes());
    }
}
