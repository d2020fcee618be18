package dev.lakehouse.vectord.retrieval;

import static dev.lakehouse.vectord.retrieval.FilteredSearchPlannerTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.lakehouse.common.error.BadRequest;
import dev.lakehouse.vectord.filter.Filter;
import dev.lakehouse.vectord.filter.FilterParser;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The filter language: what matches, and that every bad filter is a 400 naming what is wrong. */
class FilterParserTest {
    static final String AUSTIN_70 = "{\"city\":\"Austin\",\"rate\":70,\"skills\":[\"java\",\"kafka\"],\"hired\":\"2024-03-01\",\"remote\":true}";
    static final String AUSTIN_90 = "{\"city\":\"Austin\",\"rate\":90,\"skills\":[\"python\"],\"hired\":\"2021-06-30T12:00:00Z\"}";
    static final String DALLAS_60 = "{\"city\":\"Dallas\",\"rate\":60,\"address\":{\"zip\":\"75201\"}}";

    static boolean matches(String filter, String meta) {
        return FilterParser.parse(json(filter)).test(json(meta));
    }

    static boolean text(String filter, String meta) {
        return FilterParser.parse(TextNode.valueOf(filter)).test(json(meta));
    }

    @Test
    void eqInRangeExistsAndBooleanOperatorsMatchAsDocumented() {
        String f = "{\"and\":[{\"eq\":{\"city\":\"Austin\"}},{\"range\":{\"rate\":{\"lt\":80}}}]}";
        assertTrue(matches(f, AUSTIN_70));
        assertFalse(matches(f, AUSTIN_90));
        assertFalse(matches(f, DALLAS_60));
        assertTrue(matches("{\"in\":{\"skills\":[\"kafka\",\"go\"]}}", AUSTIN_70), "an array field matches when any element does");
        assertFalse(matches("{\"in\":{\"skills\":[\"kafka\",\"go\"]}}", AUSTIN_90));
        assertTrue(matches("{\"exists\":\"address.zip\"}", DALLAS_60));
        assertFalse(matches("{\"exists\":\"address.zip\"}", AUSTIN_70));
        assertTrue(matches("{\"not\":{\"eq\":{\"city\":\"Austin\"}}}", DALLAS_60));
        assertTrue(matches("{\"or\":[{\"eq\":{\"rate\":60}},{\"eq\":{\"remote\":true}}]}", DALLAS_60));
        assertTrue(matches("{\"or\":[{\"eq\":{\"rate\":60}},{\"eq\":{\"remote\":true}}]}", AUSTIN_70));
        assertFalse(matches("{\"or\":[{\"eq\":{\"rate\":60}},{\"eq\":{\"remote\":true}}]}", AUSTIN_90));
        assertTrue(matches("{\"range\":{\"hired\":{\"gte\":\"2024-01-01\"}}}", AUSTIN_70), "ISO dates compare as instants");
        assertFalse(matches("{\"range\":{\"hired\":{\"gte\":\"2024-01-01\"}}}", AUSTIN_90));
        assertTrue(matches("{\"range\":{\"hired\":{\"lt\":\"2021-07-01T00:00:00Z\"}}}", AUSTIN_90));
        assertFalse(matches("{\"range\":{\"rate\":{\"lt\":80}}}", "{\"rate\":\"70\"}"), "a string is not a number");
        assertFalse(matches("{\"eq\":{\"colour\":\"red\"}}", AUSTIN_70), "a field the item lacks matches nothing");
    }

    @Test
    void theTextSpellingBuildsTheSameFilterAsTheJsonOne() {
        List<String> metas = List.of(AUSTIN_70, AUSTIN_90, DALLAS_60);
        String[][] pairs = {
            {"city = 'Austin' AND rate < 80", "{\"and\":[{\"eq\":{\"city\":\"Austin\"}},{\"range\":{\"rate\":{\"lt\":80}}}]}"},
            {"skills IN ('kafka', 'go')", "{\"in\":{\"skills\":[\"kafka\",\"go\"]}}"},
            {"address.zip IS NOT NULL", "{\"exists\":\"address.zip\"}"},
            {"address.zip IS NULL", "{\"not\":{\"exists\":\"address.zip\"}}"},
            {"city != 'Austin'", "{\"not\":{\"eq\":{\"city\":\"Austin\"}}}"},
            {"rate = 60 OR remote = TRUE", "{\"or\":[{\"eq\":{\"rate\":60}},{\"eq\":{\"remote\":true}}]}"},
            {"NOT (city = 'Austin' AND rate >= 90)", "{\"not\":{\"and\":[{\"eq\":{\"city\":\"Austin\"}},{\"range\":{\"rate\":{\"gte\":90}}}]}}"},
            {"hired >= '2024-01-01'", "{\"range\":{\"hired\":{\"gte\":\"2024-01-01\"}}}"},
            {"city = 'O''Hare'", "{\"eq\":{\"city\":\"O'Hare\"}}"},
        };
        for (String[] p : pairs) {
            for (String m : metas) {
                assertEquals(matches(p[1], m), text(p[0], m), p[0] + " on " + m);
            }
        }
        assertTrue(text("city = 'O''Hare'", "{\"city\":\"O'Hare\"}"));
    }

    static BadRequest refused(String filter, boolean asText) {
        return assertThrows(BadRequest.class, () -> FilterParser.parse(asText ? TextNode.valueOf(filter) : json(filter)), filter);
    }

    @Test
    void anUnknownOperatorOrAWrongValueTypeIsA400NamingIt() {
        BadRequest op = refused("{\"near\":{\"city\":\"Austin\"}}", false);
        assertEquals(400, op.status());
        assertEquals("bad_filter", op.details().get("code"));
        assertEquals("near", op.details().get("operator"));
        assertTrue(op.getMessage().contains("unknown operator 'near'"), op.getMessage());

        BadRequest type = refused("{\"eq\":{\"city\":{\"name\":\"Austin\"}}}", false);
        assertEquals("city", type.details().get("field"));
        assertTrue(type.getMessage().contains("not object"), type.getMessage());

        BadRequest bound = refused("{\"range\":{\"rate\":{\"below\":80}}}", false);
        assertEquals("below", bound.details().get("operator"));
        BadRequest notDate = refused("{\"range\":{\"hired\":{\"gt\":\"yesterday\"}}}", false);
        assertTrue(notDate.getMessage().contains("'yesterday'"), notDate.getMessage());
        refused("{\"range\":{\"rate\":{\"gt\":1,\"lt\":\"2024-01-01\"}}}", false);
        refused("{\"and\":[]}", false);
        refused("{\"in\":{\"city\":\"Austin\"}}", false);
        refused("[1,2]", false);

        BadRequest like = refused("city LIKE 'Aus%'", true);
        assertEquals("LIKE", like.details().get("operator"));
        assertEquals("bad_filter", like.details().get("code"));
        refused("rate < 'soon'", true);
        refused("city = 'Austin' AND", true);
        refused("(city = 'Austin'", true);
        refused("city = Austin", true);
        refused("city = 'Austin", true);
    }
}
