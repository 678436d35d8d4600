package cn.beijing.scienceedu.adapters.registry;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** A deployment that still names the registry by the old setting is told which setting to use. */
class RegistryLocationTest {

    @Test
    void theOldSettingIsRefusedWithTheNewNameAndItsValue() {
        assertThatThrownBy(() -> RegistryLocation.refuseOldSetting(
                Map.of("HUB_BUREAUS_CONFIG", "classpath:bureaus.yaml,file:/etc/hub/extra.yaml")))
                .hasMessageContaining("HUB_BUREAU_REGISTRY=classpath:bureaus.yaml,file:/etc/hub/extra.yaml")
                .hasMessageContaining("remove HUB_BUREAUS_CONFIG");
    }

    @Test
    void theNewSettingAlonePasses() {
        assertThatCode(() -> RegistryLocation.refuseOldSetting(Map.of("HUB_BUREAU_REGISTRY", "classpath:bureaus.yaml")))
                .doesNotThrowAnyException();
    }
}
