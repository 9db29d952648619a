package org.vfzone;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.vfzone.collector.Collector;

@SpringBootApplication
@ConfigurationPropertiesScan
public class VfzoneApplication {

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("collect")) {
            // the per-host traffic collector: plain Java, no application context
            Collector.main(args);
            return;
        }
        SpringApplication.run(VfzoneApplication.class, args);
    }
}
