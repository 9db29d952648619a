package org.vfzone;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class VfzoneApplication {

    public static void main(String[] args) {
        SpringApplication.run(VfzoneApplication.class, args);
    }
}
