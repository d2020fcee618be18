package dev.lakehouse.interop;

import com.codahale.metrics.MetricRegistry;
import java.util.Properties;
import org.apache.spark.SparkConf;
import org.apache.spark.metrics.sink.MetricsServlet;
import org.sparkproject.jetty.servlet.ServletContextHandler;

/**
 * Spark's driver builds its metrics servlet even with the UI off, and that servlet needs the servlet 5 API
 * (SingleThreadModel) while the in-process services' Jetty 12 needs servlet 6: this sink serves nothing.
 */
public final class NoMetricsServlet extends MetricsServlet {
    public NoMetricsServlet(Properties property, MetricRegistry registry) {
        super(property, registry);
    }

    @Override
    public ServletContextHandler[] getHandlers(SparkConf conf) {
        return new ServletContextHandler[0];
    }
}
