// Runs an analyzer of searchkit's OpenSearch export (index.json) with Lucene's own classes.
// Written for searchkit's tests (tests/export/test_export_lucene.py): no OpenSearch server runs
// here, but the filters OpenSearch names are Lucene's, so Lucene is the reference.
//
//   java -cp LUCENE_JARS:. AnalyzeExport index.json ANALYZER WORKDIR < lines > tokens
//
// Reads one sentence a line on stdin, prints its tokens space-separated, one line each.
// The OpenSearch filter JSON is mapped to Lucene's factories (CustomAnalyzer) below; word
// lists given inline in the JSON are written to WORKDIR as the files the factories read.
import java.io.*;
import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import java.util.*;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.custom.CustomAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

public class AnalyzeExport {
    public static void main(String[] args) throws Exception {
        String json = new String(Files.readAllBytes(Paths.get(args[0])), StandardCharsets.UTF_8);
        Map<String, Object> body = asMap(new Json(json).value());
        Map<String, Object> analysis = asMap(asMap(body.get("settings")).get("analysis"));
        Path work = Paths.get(args[2]);
        Analyzer analyzer = build(analysis, args[1], work);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, "UTF-8");
        String line;
        while ((line = in.readLine()) != null) {
            StringBuilder tokens = new StringBuilder();
            try (TokenStream stream = analyzer.tokenStream("f", line)) {
                CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
                stream.reset();
                while (stream.incrementToken()) {
                    if (tokens.length() > 0) tokens.append(' ');
                    tokens.append(term);
                }
                stream.end();
            }
            out.println(tokens);
        }
    }

    static Analyzer build(Map<String, Object> analysis, String name, Path work) throws IOException {
        Map<String, Object> spec = asMap(asMap(analysis.get("analyzer")).get(name));
        Map<String, Object> tokenizers = asMap(analysis.get("tokenizer"));
        Map<String, Object> filters = asMap(analysis.get("filter"));
        CustomAnalyzer.Builder builder = CustomAnalyzer.builder(work);
        Map<String, Object> tok = asMap(tokenizers.get((String) spec.get("tokenizer")));
        if (!"pattern".equals(tok.get("type"))) throw new IllegalArgumentException("tokenizer " + tok);
        String flags = String.valueOf(tok.getOrDefault("flags", ""));
        String pattern = (flags.contains("UNICODE_CHARACTER_CLASS") ? "(?U)" : "") + tok.get("pattern");
        builder.withTokenizer("pattern", "pattern", pattern, "group", String.valueOf(tok.getOrDefault("group", -1)));
        for (Object filterName : (List<?>) spec.get("filter")) {
            String fname = (String) filterName;
            Map<String, Object> f = filters.containsKey(fname) ? asMap(filters.get(fname)) : Map.of("type", fname);
            addFilter(builder, fname, f, work);
        }
        return builder.build();
    }

    static void addFilter(CustomAnalyzer.Builder b, String name, Map<String, Object> f, Path work) throws IOException {
        String type = (String) f.get("type");
        switch (type) {
            case "lowercase": b.addTokenFilter("lowercase"); break;
            case "german_normalization": b.addTokenFilter("germanNormalization"); break;
            case "asciifolding":
                b.addTokenFilter("asciiFolding", "preserveOriginal", bool(f, "preserve_original", false));
                break;
            case "elision":
                b.addTokenFilter("elision", "articles", words(work, name, f.get("articles")),
                        "ignoreCase", bool(f, "articles_case", false));
                break;
            case "stop":
                b.addTokenFilter("stop", "words", words(work, name, f.get("stopwords")), "ignoreCase", "false");
                break;
            case "stemmer_override": {
                // OpenSearch rules "a, b => c" as Lucene's dictionary: one "form<TAB>stem" a line
                List<Object> lines = new ArrayList<>();
                for (Object rule : (List<?>) f.get("rules")) {
                    String[] sides = ((String) rule).split("=>");
                    for (String form : sides[0].split(",")) lines.add(form.trim() + "\t" + sides[1].trim());
                }
                b.addTokenFilter("stemmerOverride", "dictionary", words(work, name, lines), "ignoreCase", "false");
                break;
            }
            case "snowball":
                b.addTokenFilter("snowballPorter", "language", (String) f.get("language"));
                break;
            case "pattern_replace":
                b.addTokenFilter("patternReplace", "pattern", (String) f.get("pattern"),
                        "replacement", (String) f.get("replacement"), "replace", "all");
                break;
            case "word_delimiter_graph":
                List<Object> types = new ArrayList<>();
                if (f.get("type_table") != null) types.addAll((List<?>) f.get("type_table"));
                b.addTokenFilter("wordDelimiterGraph",
                        "types", words(work, name, types),
                        "generateWordParts", flag(f, "generate_word_parts", true),
                        "generateNumberParts", flag(f, "generate_number_parts", true),
                        "catenateWords", flag(f, "catenate_words", false),
                        "catenateNumbers", flag(f, "catenate_numbers", false),
                        "catenateAll", flag(f, "catenate_all", false),
                        "splitOnCaseChange", flag(f, "split_on_case_change", true),
                        "splitOnNumerics", flag(f, "split_on_numerics", true),
                        "stemEnglishPossessive", flag(f, "stem_english_possessive", true),
                        "preserveOriginal", flag(f, "preserve_original", false));
                break;
            case "dictionary_decompounder":
                b.addTokenFilter("dictionaryCompoundWord",
                        "dictionary", words(work, name, f.get("word_list")),
                        "minWordSize", String.valueOf(f.get("min_word_size")),
                        "minSubwordSize", String.valueOf(f.get("min_subword_size")),
                        "maxSubwordSize", String.valueOf(f.get("max_subword_size")),
                        "onlyLongestMatch", bool(f, "only_longest_match", false));
                break;
            case "synonym_graph":
                b.addTokenFilter("synonymGraph", "synonyms", words(work, name, f.get("synonyms")),
                        "expand", bool(f, "expand", true), "format", "solr");
                break;
            default: throw new IllegalArgumentException("no Lucene mapping for filter type " + type);
        }
    }

    static String words(Path work, String name, Object list) throws IOException {
        Path file = work.resolve(name + ".txt");
        StringBuilder text = new StringBuilder();
        for (Object word : (List<?>) list) text.append(word).append('\n');
        Files.write(file, text.toString().getBytes(StandardCharsets.UTF_8));
        return file.getFileName().toString();
    }

    static String bool(Map<String, Object> f, String key, boolean dflt) {
        return String.valueOf(f.getOrDefault(key, dflt));
    }

    static String flag(Map<String, Object> f, String key, boolean dflt) {
        return Boolean.TRUE.equals(f.getOrDefault(key, dflt)) ? "1" : "0";
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> asMap(Object o) { return (Map<String, Object>) o; }

    /** Just enough JSON: objects, arrays, strings, numbers, true, false, null. */
    static final class Json {
        private final String s;
        private int i;
        Json(String s) { this.s = s; }

        Object value() {
            skip();
            char c = s.charAt(i);
            if (c == '{') return object();
            if (c == '[') return array();
            if (c == '"') return string();
            if (s.startsWith("true", i)) { i += 4; return Boolean.TRUE; }
            if (s.startsWith("false", i)) { i += 5; return Boolean.FALSE; }
            if (s.startsWith("null", i)) { i += 4; return null; }
            int start = i;
            while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) i++;
            String num = s.substring(start, i);
            return num.matches("-?\\d+") ? (Object) Long.parseLong(num) : (Object) Double.parseDouble(num);
        }

        private Map<String, Object> object() {
            Map<String, Object> map = new LinkedHashMap<>();
            i++;
            skip();
            if (s.charAt(i) == '}') { i++; return map; }
            while (true) {
                skip();
                String key = string();
                skip();
                i++; // ':'
                map.put(key, value());
                skip();
                if (s.charAt(i++) == '}') return map;
            }
        }

        private List<Object> array() {
            List<Object> list = new ArrayList<>();
            i++;
            skip();
            if (s.charAt(i) == ']') { i++; return list; }
            while (true) {
                list.add(value());
                skip();
                if (s.charAt(i++) == ']') return list;
            }
        }

        private String string() {
            StringBuilder out = new StringBuilder();
            i++;
            while (true) {
                char c = s.charAt(i++);
                if (c == '"') return out.toString();
                if (c != '\\') { out.append(c); continue; }
                char e = s.charAt(i++);
                switch (e) {
                    case 'n': out.append('\n'); break;
                    case 't': out.append('\t'); break;
                    case 'r': out.append('\r'); break;
                    case 'b': out.append('\b'); break;
                    case 'f': out.append('\f'); break;
                    case 'u': out.append((char) Integer.parseInt(s.substring(i, i + 4), 16)); i += 4; break;
                    default: out.append(e);
                }
            }
        }

        private void skip() { while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++; }
    }
}
