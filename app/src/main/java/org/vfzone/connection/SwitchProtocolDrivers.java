package org.vfzone.connection;

import java.net.http.HttpClient;
import java.util.function.BiFunction;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.vfzone.fabric.FabricDriver;
import org.vfzone.fabric.FabricEndpoint;
import org.vfzone.fabric.FabricVendor;
import org.vfzone.fabric.brocade.BrocadeFosRestDriver;
import org.vfzone.fabric.cisco.CiscoMdsNxapiDriver;

/** The drivers of the switch protocols vfzone speaks: Brocade FOS REST and Cisco MDS NX-API. */
@Configuration(proxyBeanMethods = false)
class SwitchProtocolDrivers {

    @Bean
    FabricDriverFactory brocadeFosRestDrivers() {
        return factory(FabricVendor.BROCADE_FOS_REST, BrocadeFosRestDriver::new);
    }

    @Bean
    FabricDriverFactory ciscoMdsNxapiDrivers() {
        return factory(FabricVendor.CISCO_MDS_NXAPI, CiscoMdsNxapiDriver::new);
    }

    private static FabricDriverFactory factory(FabricVendor vendor,
                                               BiFunction<FabricEndpoint, HttpClient, FabricDriver> driver) {
        return new FabricDriverFactory() {
            @Override
            public FabricVendor vendor() {
                return vendor;
            }

            @Override
            public FabricDriver driver(long fabricId, FabricEndpoint endpoint, HttpClient client) {
                return driver.apply(endpoint, client);
            }
        };
    }
}
