package dev.lakehouse.vectord.retrieval;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakehouse.vectord.engine.VectorIndex;
import dev.lakehouse.vectord.engine.VectorItem;
import dev.lakehouse.vectord.filter.Dates;
import dev.lakehouse.vectord.filter.Filter;
import dev.lakehouse.vectord.wal.WalOp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Payload indexes over every metadata field of one {@link VectorIndex} instance (ADR 0036), Qdrant-style: each
 * item gets an ordinal; per field path, strings and booleans map to posting lists of ordinals, numbers and
 * ISO dates to arrays sorted by value, and every present value to an "exists" list. {@link #match} turns a
 * filter into the exact set of matching ordinals (bit operations, no per-item evaluation), so its
 * cardinality is known before the planner chooses.
 *
 * <p>Built from the items once, then kept in step by the index's apply listener: a put appends a new ordinal
 * (a replaced item's old ordinal is cleared from {@code live}), a delete clears one. Numbers added after the
 * build go to an unsorted tail; {@link #worn()} says when tail or dead ordinals warrant a rebuild. Nothing is
 * stored: a restart or a compaction (a new graph instance) builds it again from the items.
 *
 * <p>Bounds: string values longer than {@link #MAX_KEY_CHARS} and fields with more than
 * {@link #maxKeywords} distinct strings are not indexed as keywords; a filter comparing such a field with a
 * string gets {@code null} from {@link #match} and the planner falls back to evaluating it per item.
 */
final class PayloadIndex implements Consumer<WalOp> {
    static final int MAX_KEY_CHARS = 256;
    /** Path separator inside field keys (a metadata key may itself contain a dot). */
    private static final char SEP = '\u0001';

    private static final class Field {
        final Map<String, Postings> keywords = new HashMap<>();
        boolean keywordsDropped;
        boolean longStrings;
        final Sorted numbers = new Sorted();
        final Sorted dates = new Sorted();
        final Postings exists = new Postings();
    }

    /** Ascending ordinals (appends only, ordinals grow). */
    private static final class Postings {
        int[] ords = new int[2];
        int size;

        void add(int ord) {
            if (size > 0 && ords[size - 1] == ord) {
                return; // an array holding one value twice
            }
            if (size == ords.length) {
                ords = Arrays.copyOf(ords, size * 2);
            }
            ords[size++] = ord;
        }

        void into(BitSet out) {
            for (int i = 0; i < size; i++) {
                out.set(ords[i]);
            }
        }

        long bytes() {
            return 32L + 4L * ords.length;
        }
    }

    /** Values sorted at build, plus an unsorted tail of later additions. */
    private static final class Sorted {
        double[] values = new double[0];
        int[] ords = new int[0];
        double[] tailValues = new double[4];
        int[] tailOrds = new int[4];
        int tail;

        void add(double v, int ord) {
            if (tail == tailValues.length) {
                tailValues = Arrays.copyOf(tailValues, tail * 2);
                tailOrds = Arrays.copyOf(tailOrds, tail * 2);
            }
            tailValues[tail] = v;
            tailOrds[tail++] = ord;
        }

        /** Sorts everything added so far (the build's last step). */
        void seal() {
            Integer[] order = new Integer[tail];
            for (int i = 0; i < tail; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> Double.compare(tailValues[a], tailValues[b]));
            values = new double[tail];
            ords = new int[tail];
            for (int i = 0; i < tail; i++) {
                values[i] = tailValues[order[i]];
                ords[i] = tailOrds[order[i]];
            }
            tailValues = new double[4];
            tailOrds = new int[4];
            tail = 0;
        }

        void range(Filter.Range r, BitSet out) {
            Double lo = r.gte() != null ? r.gte() : r.gt();
            if (r.gte() != null && r.gt() != null) {
                lo = Math.max(r.gte(), r.gt());
            }
            int from = 0;
            if (lo != null) { // first value >= lo
                int a = 0;
                int b = values.length;
                while (a < b) {
                    int m = (a + b) >>> 1;
                    if (values[m] < lo) {
                        a = m + 1;
                    } else {
                        b = m;
                    }
                }
                from = a;
            }
            for (int i = from; i < values.length; i++) {
                double x = values[i];
                if ((r.lt() != null && x >= r.lt()) || (r.lte() != null && x > r.lte())) {
                    break;
                }
                if (inside(r, x)) {
                    out.set(ords[i]);
                }
            }
            for (int i = 0; i < tail; i++) {
                if (inside(r, tailValues[i])) {
                    out.set(tailOrds[i]);
                }
            }
        }

        static boolean inside(Filter.Range r, double x) {
            return (r.gt() == null || x > r.gt()) && (r.gte() == null || x >= r.gte())
                    && (r.lt() == null || x < r.lt()) && (r.lte() == null || x <= r.lte());
        }

        long bytes() {
            return 48L + 12L * values.length + 12L * tailValues.length;
        }
    }

    private final VectorIndex of;
    private final int maxKeywords;
    private final Map<String, Field> fields = new HashMap<>();
    private VectorItem[] items = new VectorItem[16];
    /** Each ordinal's graph node (-1: none), so a match becomes a bitset over node ids for the ACORN walk. */
    private int[] nodeOf = new int[16];
    private int count;
    private final BitSet live = new BitSet();
    private int dead;
    /** Id → ordinal of each live item (under this object's lock; the walk tests node ids, see {@link Match#nodes}). */
    private final Map<String, Integer> ordinals = new HashMap<>();
    private long keywordChars;
    private List<WalOp> pending = new ArrayList<>();
    /**
     * The last filters' matches (and their node bitsets), until the next put or delete: at 50 % selectivity
     * evaluating a filter and turning it into node ids cost as much as the walk itself (ADR 0036).
     */
    private final Map<Filter, Match> matches = new HashMap<>();
    static final int MAX_MATCHES = 32;

    private PayloadIndex(VectorIndex of, int maxKeywords) {
        this.of = of;
        this.maxKeywords = maxKeywords;
    }

    /**
     * Builds from {@code index}'s live items. The listener is registered before the items are read and ops
     * it hears meanwhile are replayed after, so no write is missed (puts by id and deletes are idempotent).
     */
    static PayloadIndex build(VectorIndex index) {
        PayloadIndex p = new PayloadIndex(index, Math.max(1024, index.size() / 4));
        index.listen(p);
        for (VectorItem item : index.items()) {
            p.put(item);
        }
        for (Field f : p.fields.values()) {
            f.numbers.seal();
            f.dates.seal();
        }
        synchronized (p) {
            List<WalOp> replay = p.pending;
            p.pending = null;
            replay.forEach(p::apply);
        }
        return p;
    }

    VectorIndex of() {
        return of;
    }

    /** Stops following the index (a rebuilt payload index replaced this one). */
    void close() {
        of.unlisten(this);
    }

    /** Called by the index for each applied op (under its mutation lock, from any writer thread). */
    @Override
    public synchronized void accept(WalOp op) {
        if (pending != null) {
            pending.add(op);
        } else {
            apply(op);
        }
    }

    private void apply(WalOp op) {
        if (op instanceof WalOp.Put p) {
            put(p.item());
        } else if (op instanceof WalOp.Delete d) {
            kill(d.id());
        }
    }

    private synchronized void put(VectorItem given) {
        VectorItem item = of.retainable(given); // an int8 index's floats stay off the heap
        Integer seen = ordinals.get(item.id());
        // the node too: an int8 index's kept item holds no floats (retainable), so a new vector with the same
        // metadata equals it, yet the graph gave it a new node
        if (seen != null && item.equals(items[seen]) && nodeOf[seen] == of.nodeId(item.id())) {
            return; // seen by the build's read and again in the replay
        }
        kill(item.id());
        matches.clear();
        int ord = count++;
        if (ord == items.length) {
            items = Arrays.copyOf(items, ord * 2);
            nodeOf = Arrays.copyOf(nodeOf, ord * 2);
        }
        items[ord] = item;
        nodeOf[ord] = of.nodeId(item.id()); // the graph took the item before its listeners hear of it
        live.set(ord);
        ordinals.put(item.id(), ord);
        JsonNode meta = FilteredSearch.metadata(item.metadataJson());
        if (meta != null && meta.isObject()) {
            meta.fields().forEachRemaining(e -> index(ord, e.getKey(), e.getValue()));
        }
    }

    private void kill(String id) {
        Integer old = ordinals.remove(id);
        if (old != null) {
            matches.clear();
            live.clear(old);
            items[old] = null;
            dead++;
        }
    }

    /** Mirrors {@link Filter#at}/{@link Filter#any}: objects are descended, an array's scalar elements indexed. */
    private void index(int ord, String path, JsonNode v) {
        if (v == null || v.isNull()) {
            return;
        }
        Field f = fields.computeIfAbsent(path, p -> new Field());
        f.exists.add(ord);
        if (v.isObject()) {
            v.fields().forEachRemaining(e -> index(ord, path + SEP + e.getKey(), e.getValue()));
        } else if (v.isArray()) {
            for (JsonNode e : v) {
                scalar(f, ord, e);
            }
        } else {
            scalar(f, ord, v);
        }
    }

    private void scalar(Field f, int ord, JsonNode v) {
        if (v.isNumber()) {
            f.numbers.add(v.asDouble(), ord);
        } else if (v.isBoolean()) {
            keyword(f, v.asBoolean() ? "btrue" : "bfalse", ord);
        } else if (v.isTextual()) {
            String s = v.asText();
            Double ms = Dates.maybeDate(s) ? Dates.epochMillis(s) : null;
            if (ms != null) {
                f.dates.add(ms, ord);
            }
            if (s.length() > MAX_KEY_CHARS) {
                f.longStrings = true;
            } else {
                keyword(f, "s" + s, ord);
            }
        }
    }

    private void keyword(Field f, String key, int ord) {
        if (f.keywordsDropped) {
            return;
        }
        Postings p = f.keywords.get(key);
        if (p == null) {
            if (f.keywords.size() >= maxKeywords) { // a free-text field: not worth a posting per value
                f.keywordsDropped = true;
                f.keywords.keySet().forEach(k -> keywordChars -= k.length());
                f.keywords.clear();
                return;
            }
            p = new Postings();
            f.keywords.put(key, p);
            keywordChars += key.length();
        }
        p.add(ord);
    }

    /** What a query holds after {@link #match}: the matching ordinals and a way to test and reach them. */
    final class Match {
        final BitSet bits;
        final int cardinality;
        private BitSet nodes;

        private Match(BitSet bits) {
            this.bits = bits;
            this.cardinality = bits.cardinality();
        }

        /**
         * The matching items' graph nodes as a bitset (for the ACORN walk's per-node test): one pass over the
         * matches, as cheap as the match itself.
         */
        BitSet nodes() {
            synchronized (PayloadIndex.this) {
                if (nodes != null) {
                    return nodes;
                }
                BitSet out = new BitSet(of.nodes());
                for (int o = bits.nextSetBit(0); o >= 0; o = bits.nextSetBit(o + 1)) {
                    int node = nodeOf[o];
                    if (node >= 0) {
                        out.set(node);
                    }
                }
                nodes = out;
                return out;
            }
        }

        /** The matching items (for the exact scan). */
        List<VectorItem> items() {
            synchronized (PayloadIndex.this) {
                List<VectorItem> out = new ArrayList<>(cardinality);
                for (int o = bits.nextSetBit(0); o >= 0; o = bits.nextSetBit(o + 1)) {
                    VectorItem it = items[o];
                    if (it != null) {
                        out.add(it);
                    }
                }
                return out;
            }
        }
    }

    /** The items {@code filter} matches, exactly, or null when it needs a field this index left out. */
    synchronized Match match(Filter filter) {
        Match known = matches.get(filter); // filters are records: an equal tree is the same filter
        if (known != null) {
            return known;
        }
        BitSet b = eval(filter);
        if (b == null) {
            return null;
        }
        b.and(live);
        Match m = new Match(b);
        if (matches.size() >= MAX_MATCHES) {
            matches.clear();
        }
        matches.put(filter, m);
        return m;
    }

    private BitSet eval(Filter filter) {
        if (filter instanceof Filter.And a) {
            BitSet out = null;
            for (Filter f : a.all()) {
                BitSet x = eval(f);
                if (x == null) {
                    return null;
                }
                if (out == null) {
                    out = x;
                } else {
                    out.and(x);
                }
            }
            return out == null ? (BitSet) live.clone() : out;
        }
        if (filter instanceof Filter.Or o) {
            BitSet out = new BitSet();
            for (Filter f : o.any()) {
                BitSet x = eval(f);
                if (x == null) {
                    return null;
                }
                out.or(x);
            }
            return out;
        }
        if (filter instanceof Filter.Not n) {
            BitSet x = eval(n.inner());
            if (x == null) {
                return null;
            }
            BitSet out = (BitSet) live.clone();
            out.andNot(x);
            return out;
        }
        BitSet out = new BitSet();
        if (filter instanceof Filter.Exists e) {
            Field f = fields.get(key(e.path()));
            if (f != null) {
                f.exists.into(out);
            }
            return out;
        }
        if (filter instanceof Filter.Range r) {
            Field f = fields.get(key(r.path()));
            if (f != null) {
                (r.dates() ? f.dates : f.numbers).range(r, out);
            }
            return out;
        }
        Filter.In in = (Filter.In) filter;
        Field f = fields.get(key(in.path()));
        if (f == null) {
            return out; // a field no item has matches nothing
        }
        for (Filter.Scalar s : in.values()) {
            if (s.number() != null) {
                f.numbers.range(new Filter.Range(in.path(), false, null, s.number(), null, s.number()), out);
                continue;
            }
            if (f.keywordsDropped || (s.text() != null && s.text().length() > MAX_KEY_CHARS && f.longStrings)) {
                return null; // not indexed: the planner evaluates this filter per item
            }
            Postings p = f.keywords.get(s.text() != null ? "s" + s.text() : (s.bool() ? "btrue" : "bfalse"));
            if (p != null) {
                p.into(out);
            }
        }
        return out;
    }

    private static String key(List<String> path) {
        return String.join(String.valueOf(SEP), path);
    }

    /** Whether dead ordinals or unsorted additions have grown enough that a rebuild pays. */
    synchronized boolean worn() {
        int tails = 0;
        for (Field f : fields.values()) {
            tails = Math.max(tails, Math.max(f.numbers.tail, f.dates.tail));
        }
        int base = Math.max(1024, count - dead);
        return dead > base / 2 || tails > base / 8;
    }

    /**
     * Estimated heap (ADR 0036): per ordinal the item and node slots, the id and identity maps' entries (~100 bytes);
     * per field its postings and sorted arrays; per distinct keyword its entry and characters.
     */
    synchronized long memoryBytes() {
        long b = 12L * items.length + 100L * count + live.size() / 8 + 2L * keywordChars;
        for (Match m : matches.values()) {
            b += m.bits.size() / 8 + (m.nodes == null ? 0 : m.nodes.size() / 8);
        }
        for (Field f : fields.values()) {
            b += 120 + f.exists.bytes() + f.numbers.bytes() + f.dates.bytes();
            for (Postings p : f.keywords.values()) {
                b += 64 + p.bytes();
            }
        }
        return b;
    }
}
