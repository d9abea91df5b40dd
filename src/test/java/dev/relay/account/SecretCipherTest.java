package dev.relay.account;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.relay.account.SecretCipher.Service;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("fast")
class SecretCipherTest {
    static final String DEFAULT_KEY = "CHANGE-THIS-32-CHARACTER-KEY-NOW";
    static final byte[] ZERO_IV = new byte[16];

    @Test
    void derivedKeysAndCiphertextsMatchTheContractVectors() {
        // redis-keys.md §3 test vectors: derived key, then "hello" with a zero IV
        Map<Service, String[]> vectors = Map.of(
                Service.CLAUDE, new String[] {"6bc19eafb4ba064c8c75601131fe8c2d790380763c2e2fa72e1c13372c9e024f", "3431e1efcb06806a847dae012e29fd9a"},
                Service.CLAUDE_CONSOLE, new String[] {"9e772dc0bbe0069e66c75a502066af6e1890c4956191fdaca3e88e72750bfc30", "ea13a03a6d1c1d395273bf5dcfd88595"},
                Service.CCR, new String[] {"67c13eeac50d48e8f0373035dd5dbc954275c3a9a70b8a6198c1257c0caf4b40", "739c1d29c0583dad8960b835dd5dbe7f"},
                Service.GEMINI, new String[] {"0abd80f25a58582eae198c1bca26b5c4f6d2403a800bcb7d62965c725d2f8276", "6ecdca2da84a057187a53b8c1adc51f1"},
                Service.GEMINI_API, new String[] {"bf107fad80ede6969795b526fccebd24de814f79f4d969644454dce81e980d77", "c8ed2cec1050fcf13c6a09704eced172"},
                Service.OPENAI, new String[] {"6909a9d6c686d9acc8a4fcd778b7e16cb7bfd58fb91d83b58e2e809a941e5d74", "fa1a571944fcc6e839d0f248264605b2"},
                Service.OPENAI_RESPONSES, new String[] {"57a39ae1b7bf7503b02aae96aacdc2ac52de2b25cab99c77a2ce6a7e5539fd29", "de5843a0be6505ff0d12071f49c21b7d"},
                Service.AZURE_OPENAI, new String[] {"802d45428474b4f9efcdc7a70bd9812a0ede553cde8a594d4c65a17917582d81", "c68f81da94c7cfbb29d891cf0e888016"},
                Service.DROID, new String[] {"fd3a4c0184e7a24340c2289ecab2fbac04374efe5420ba1c15f7d5825972d3a1", "a311aa90dc573c2e0ea446b8611ae912"});
        assertEquals(Service.values().length, vectors.size());
        for (var e : vectors.entrySet()) {
            SecretCipher cipher = new SecretCipher(e.getKey(), DEFAULT_KEY);
            assertEquals(e.getValue()[0], HexFormat.of().formatHex(cipher.key()), e.getKey().name());
            String stored = "00000000000000000000000000000000:" + e.getValue()[1];
            assertEquals(stored, cipher.encrypt("hello", ZERO_IV), e.getKey().name());
            assertEquals("hello", cipher.decrypt(stored), e.getKey().name());
        }
    }

    @Test
    void bedrockKeyIsSha256OfTheEncryptionKey() {
        assertEquals("a65399ebed1c70da31815e0d7eda8be728851a32b63d0e257f7816b46b5f5f2d",
                HexFormat.of().formatHex(new BedrockCipher(DEFAULT_KEY).key()));
    }

    static final String FIXTURE_KEY = dev.relay.testsupport.TestServices.FIXTURE_ENCRYPTION_KEY;

    @Test
    void fixtureCiphertextsDecryptToTheirPlaintexts() {
        // one stored value per service, from shared/legacy/fixtures/02-accounts
        Map<Service, String[]> stored = Map.of(
                Service.CLAUDE, new String[] {"15ffaf82a6524d1a23abc00677f8d55d:9269a40be00dc8c4c65345b4d4add7b8e43af8b9dcb797f853909383e9557469aacd50e00f5a4c65ec2cc3276d942f2f", "sk-ant-oat01-fixture-access-0001"},
                Service.CLAUDE_CONSOLE, new String[] {"d3cdc8866264baa1e7cd39065801fb47:ce2ba80e85ef5df937b1b677811a5b97b026cb075c640861d568d86c25106c47369060379d0ee9f4e6bcb0bedadedd25", "sk-ant-api03-fixture-console-0001"},
                Service.CCR, new String[] {"31178ae902de9842cadf4082cc0584c5:77c3fe2e0de188768ab1342e4e6ce5f6ea7d272dd51239150c225363ba623d6c", "sk-fixture-ccr-0001"},
                Service.GEMINI, new String[] {"4f3ad1d8ea13174ccb93f92120e87726:a71f226a7709c635ee09ab1090b3d9a852dd5b0f83369dbe3e362ae07ad16513", "1//fixture-gemini-refresh-0001"},
                Service.GEMINI_API, new String[] {"63769e4737c07067d9236da66bde3f5a:c109b669007f6b3ffe266873e7efc976ea7678c06e32d3ffece5200e852f4001", "AIzaFixtureGeminiApiKey0001"},
                Service.OPENAI, new String[] {"28c2304c858a936bd9cf236729fee1c8:6d0ea91cf9b09e55e6a80eaac21226afadcfd3b7022a7e7949dc8597cb62860e", "fixture-openai@example.com"},
                Service.OPENAI_RESPONSES, new String[] {"19a679f4f0848a96320526b8148c476e:d2eb9fbbbb77f43dc5fb4f796f6864c126ebb7bfc3be3977e2672463b6f7c02d9874e1aa9e5c4b47a8acb5ffa776b855", "sk-fixture-openai-responses-0001"},
                Service.AZURE_OPENAI, new String[] {"8a72cc2911b7aad42b1c16a71f1867f5:859093bc228123667c731c17d074fce9a812d67849ecc8b53db0e66dfa92fd76", "fixture-azure-api-key-0001"},
                Service.DROID, new String[] {"40e29d686da47bd6604f70133991ac27:06bbc8489c48efdc492c89a3ac9d0614ce19cf2ca5f5b547a129142ce143d181", "fk-fixture-droid-apikey-0001"});
        for (var e : stored.entrySet()) {
            assertEquals(e.getValue()[1], new SecretCipher(e.getKey(), FIXTURE_KEY).decrypt(e.getValue()[0]),
                    e.getKey().name());
        }
    }

    @Test
    void encryptThenDecryptRoundTripsWithAFreshIvEachTime() {
        for (Service service : Service.values()) {
            SecretCipher cipher = new SecretCipher(service, FIXTURE_KEY);
            String plaintext = "sk-ant-\u00e9\u6f22\ud83d\ude00-" + service;
            String a = cipher.encrypt(plaintext);
            String b = cipher.encrypt(plaintext);
            org.junit.jupiter.api.Assertions.assertNotEquals(a, b, "random IV");
            org.junit.jupiter.api.Assertions.assertTrue(a.matches("[0-9a-f]{32}:[0-9a-f]+"), a);
            assertEquals(plaintext, cipher.decrypt(a));
            assertEquals("", cipher.encrypt(""));
            assertEquals("", cipher.encrypt(null));
            assertEquals("", cipher.decrypt(""));
            assertEquals("", cipher.decrypt(null));
        }
    }

    @Test
    void undecryptableTextFollowsEachServicesLegacyBehaviour() {
        // "x" under another key, fixed: a fresh encryption has a new IV each run, and about one in 256 of those
        // decrypts under the fixture key with valid padding (garbage, not a failure), for each service
        String wrongKey = "623f0b1f975f2801c060db0dfd5aca00:21e7447fd860ae5a0fdaeda5fba79476";
        assertEquals("x",
                new SecretCipher(Service.CLAUDE_CONSOLE, "another-key-another-key-another!!").decrypt(wrongKey));
        for (Service service : Service.values()) {
            SecretCipher cipher = new SecretCipher(service, FIXTURE_KEY);
            boolean returnsInput = service == Service.CLAUDE || service == Service.CLAUDE_CONSOLE
                    || service == Service.CCR;
            for (String bad : new String[] {"plain-token", "zz:zz", wrongKey, "a:b:c"}) {
                assertEquals(returnsInput ? bad : "", cipher.decrypt(bad), service + " " + bad);
            }
        }
    }

    @Test
    void claudeFallsBackToTheLegacyCreateDecipherFormat() {
        SecretCipher claude = new SecretCipher(Service.CLAUDE, FIXTURE_KEY);
        String old = SecretCipher.encryptLegacy(FIXTURE_KEY, "sk-ant-old-format-token");
        org.junit.jupiter.api.Assertions.assertFalse(old.contains(":"));
        assertEquals("sk-ant-old-format-token", claude.decrypt(old));
        // other services do not know that format
        assertEquals(old, new SecretCipher(Service.CLAUDE_CONSOLE, FIXTURE_KEY).decrypt(old));
        assertEquals("", new SecretCipher(Service.OPENAI, FIXTURE_KEY).decrypt(old));
    }

    @Test
    void legacyFormatMatchesOpenSslEvpBytesToKey() {
        // printf hello | openssl enc -aes-256-cbc -nosalt -md md5 -pass pass:<fixture key> | xxd -p
        assertEquals("111cf8d5177e39dc84e5e988224616ce", SecretCipher.encryptLegacy(FIXTURE_KEY, "hello"));
        assertEquals("hello", new SecretCipher(Service.CLAUDE, FIXTURE_KEY).decrypt("111cf8d5177e39dc84e5e988224616ce"));
    }

    @Test
    void bedrockCredentialsRoundTripAndDecryptTheFixture() throws Exception {
        BedrockCipher cipher = new BedrockCipher(FIXTURE_KEY);
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        var stored = json.readTree("{\"encrypted\":\"d597b1c7975a6f955ce0d0883388f8bd032420e931a5e6258500f5525aa123157dfc85ee7a865275bb2f58187d791530dd089df178553ce9c1efbad5b3cdbfefdc60c9495928832f13478a8053b3701a0f9718795d27cbf3c3a119183a44c8a1\",\"iv\":\"b2a1a83c97be2586e2f7d0a73e387579\"}");
        assertEquals(json.readTree("{\"accessKeyId\":\"AKIAFIXTURE000000001\",\"secretAccessKey\":\"fixture-aws-secret-0001\"}"),
                cipher.decrypt(stored));
        var credentials = json.readTree("{\"accessKeyId\":\"AKIA1\",\"secretAccessKey\":\"s\",\"sessionToken\":\"t\"}");
        var encrypted = cipher.encrypt(credentials);
        java.util.List<String> names = new java.util.ArrayList<>();
        encrypted.fieldNames().forEachRemaining(names::add);
        assertEquals(java.util.List.of("encrypted", "iv"), names);
        assertEquals(credentials, cipher.decrypt(encrypted));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> cipher.decrypt(json.readTree("\"x\"")));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> cipher.decrypt(json.readTree("{\"encrypted\":\"00\",\"iv\":\"00\"}")));
    }
}
