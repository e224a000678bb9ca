package vn.zalogateway.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class FormBodyTest {

    static FormBody read(String body) {
        return FormBody.read(body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void fieldsAreDecodedAndTheFirstOfTwoCounts() {
        FormBody form = read("username=lan%40shop.vn&password=a+b%26c&next=%2Fconsole%2Fcosts&username=other&empty=&bare");
        assertThat(form.get("username")).isEqualTo("lan@shop.vn");
        assertThat(form.get("password")).isEqualTo("a b&c");
        assertThat(form.get("next")).isEqualTo("/console/costs");
        assertThat(form.get("empty")).isEmpty();
        assertThat(form.get("bare")).isEmpty();
        assertThat(form.get("missing")).isNull();
        assertThat(read("name=%C3%B3").get("name")).isEqualTo("ó");
    }

    @Test
    void aFieldBrokenAsFormEncodingIsMissingNotAnError() {
        FormBody form = read("csrf-token=t&username=%zz&password=%&next=%E0%A4%A&=x&&%zz=y");
        assertThat(form.get("csrf-token")).isEqualTo("t");
        assertThat(form.get("username")).isNull();
        assertThat(form.get("password")).isNull();
        assertThat(form.get("next")).isNull();
        assertThat(FormBody.read(null).get("x")).isNull();
        assertThat(FormBody.read(new byte[] { (byte) 0xff, '=', (byte) 0xfe }).get("\ufffd")).isEqualTo("\ufffd");
    }

    @Test
    void aBodyLongerThanAnyConsoleFormIsRefused() {
        assertThat(FormBody.read(new byte[FormBody.LONGEST + 1])).isNull();
        assertThat(FormBody.read(new byte[FormBody.LONGEST])).isNotNull();
    }

    @Test
    void aFormThatCarriesATemplateMayBeLongerUpToItsOwnLimit() {
        byte[] template = ("template=" + "%7B".repeat(FormBody.LONGEST)).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(FormBody.read(template)).isNull();
        assertThat(FormBody.read(template, template.length).get("template")).hasSize(FormBody.LONGEST).startsWith("{{");
        assertThat(FormBody.read(template, template.length - 1)).isNull();
    }
}
