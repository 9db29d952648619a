package org.vfzone.system;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;

/**
 * Gives this node its id before any connection is opened, and names the node's database sessions after it, so
 * other nodes can tell from the server whether it still runs ({@link AppNode#isAlive}).
 */
@Configuration(proxyBeanMethods = false)
class NodeIdentityConfiguration {

    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static AppNode.Identity nodeIdentity() {
        return new AppNode.Identity();
    }

    @Bean
    static BeanPostProcessor sessionsNamedAfterTheNode(AppNode.Identity identity) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessBeforeInitialization(Object bean, String beanName) {
                if (bean instanceof HikariDataSource hikari) {
                    hikari.addDataSourceProperty("ApplicationName", identity.applicationName());
                }
                return bean;
            }
        };
    }
}
