package org.vfzone.system;

import java.time.Clock;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.JacksonModule;
import tools.jackson.databind.deser.std.StdDeserializer;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.module.SimpleModule;

@Configuration(proxyBeanMethods = false)
class SystemConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /**
     * No text read from a JSON body may hold a NUL character (PostgreSQL cannot store one): such a body is refused
     * as unreadable, naming the field, before anything runs.
     */
    @Bean
    JacksonModule textWithoutNul() {
        SimpleModule module = new SimpleModule(
                "text-without-nul");
        module.addDeserializer(String.class, new StdDeserializer<String>(String.class) {
            @Override
            public String deserialize(JsonParser parser,
                                      DeserializationContext context) {
                String value = parser.getValueAsString();
                if (value == null) {
                    return (String) context.handleUnexpectedToken(String.class, parser);
                }
                if (value.indexOf('\0') >= 0) {
                    throw InvalidFormatException.from(parser,
                            "contains a NUL character", value, String.class);
                }
                return value;
            }
        });
        return module;
    }

    @Bean
    OpenAPI vfzoneOpenApi() {
        return new OpenAPI()
                .info(new Info().title("vfzone REST API").version("v1")
                        .description("Inventory, NPIV identities and VF assignments. Authenticate with HTTP Basic; "
                                + "reads need VIEWER, changes OPERATOR."))
                .components(new Components().addSecuritySchemes("basic",
                        new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("basic")))
                .addSecurityItem(new SecurityRequirement().addList("basic"));
    }
}
