package vn.zalogateway.simulated;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import vn.zalogateway.provider.ZnsTemplateInfo;
import vn.zalogateway.provider.esms.EsmsClient;
import vn.zalogateway.provider.etelecom.EtelecomTemplates;
import vn.zalogateway.simulator.ProviderBodies;

/**
 * The simulator's template answers (eTelecom GetTemplate and ListTemplates, eSMS GetZnsTemplateInfo) are read by the
 * gateway's own readers into the same template, parameter for parameter: dev mode's check is the real one.
 */
class SimulatedTemplatesTest {

    @Test
    void eachProviderDescribesEachSimulatedTemplateTheSame() {
        assertThat(ProviderBodies.TEMPLATES).extracting(ProviderBodies.Template::status)
                .contains("ENABLE", "REJECT", "PENDING_REVIEW");
        for (ProviderBodies.Template simulated : ProviderBodies.TEMPLATES) {
            ZnsTemplateInfo etelecom = EtelecomTemplates.template(simulated.id(), ProviderBodies.etelecomTemplate(simulated).encode());
            ZnsTemplateInfo esms = EsmsClient.templateOf(simulated.id(), ProviderBodies.esmsTemplateInfo(simulated).encode());
            assertThat(etelecom.templateId()).isEqualTo(simulated.id());
            assertThat(etelecom.status()).isEqualTo(simulated.status());
            assertThat(etelecom.quality()).isEqualTo(simulated.quality());
            assertThat(etelecom.params()).isEqualTo(esms.params());
            assertThat(esms.status()).isEqualTo(simulated.status());
            assertThat(esms.tag()).isEqualTo(etelecom.tag()).isEqualTo(simulated.tag());
            assertThat(etelecom.params()).extracting(ZnsTemplateInfo.Param::name, ZnsTemplateInfo.Param::type,
                    ZnsTemplateInfo.Param::required, ZnsTemplateInfo.Param::minLength, ZnsTemplateInfo.Param::maxLength)
                    .containsExactlyElementsOf(simulated.params().stream().map(p -> org.assertj.core.groups.Tuple.tuple(p.name(),
                            p.type(), p.required(), p.minLength(), p.maxLength())).toList());
        }
    }

    @Test
    void theListIsReadPageByPage() {
        EtelecomTemplates.Page first = EtelecomTemplates.page(ProviderBodies.etelecomTemplates(ProviderBodies.TEMPLATES.subList(0, 2),
                "231457", 2).encode());
        assertThat(first.templates()).extracting(ZnsTemplateInfo::templateId).containsExactly(231456L, 231457L);
        assertThat(first.next()).isEqualTo("231457");
        EtelecomTemplates.Page last = EtelecomTemplates.page(ProviderBodies.etelecomTemplates(List.of(), null, 2).encode());
        assertThat(last.templates()).isEmpty();
        assertThat(last.next()).isNull();
    }
}
