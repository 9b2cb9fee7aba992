package io.github.flinkconfluent.e2e;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Why an object is still alive in a heap dump: the shortest chain of strong references from a GC
 * root to every instance of a class, read from an HPROF file ({@code jmap -dump:live,format=b}).
 * Written for the class-loader leak test, which must tell a loader pinned by the connector from one
 * pinned by Flink itself, on a machine without a heap analyser.
 *
 * <p>One pass indexes every object's record by id; a breadth-first search from the roots then reads
 * each object's references from the (memory-mapped) file and remembers whom it reached each object
 * from. {@code java.lang.ref.Reference#referent} is not followed: weak, soft and phantom references
 * do not keep anything alive.
 *
 * <p>Also runnable by hand: {@code java HeapPaths.java dump.hprof
 * org.apache.flink.util.ChildFirstClassLoader}.
 */
final class HeapPaths {

    private static final int HEAP_DUMP = 0x0C;
    private static final int HEAP_DUMP_SEGMENT = 0x1C;
    private static final int UTF8 = 0x01;
    private static final int LOAD_CLASS = 0x02;

    private final ByteBuffer file;
    private int idSize;

    private final Map<Long, String> strings = new HashMap<>();
    private final Map<Long, String> classNames = new HashMap<>();
    private final Map<Long, ClassInfo> classes = new HashMap<>();
    private final LongLongMap offsets = new LongLongMap(); // object id -> record offset
    private final List<Long> roots = new ArrayList<>();
    private final Map<Long, String> rootKinds = new HashMap<>();
    private final Map<Integer, Long> threadsBySerial = new HashMap<>();
    private final Set<String> ignoredFields = new java.util.HashSet<>();
    private long referenceClass;
    private long referentName;

    private record Field(long name, int type) {}

    private record ClassInfo(long id, long superId, long loader, List<Field> fields, long offset) {}

    /** One step of a path: an object of a class, and the field it holds the next one in. */
    record Step(long id, String className, String via) {
        @Override
        public String toString() {
            return className + (via == null ? "" : " ." + via);
        }
    }

    private HeapPaths(Path hprof) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(hprof.toFile(), "r");
                FileChannel channel = raf.getChannel()) {
            if (channel.size() > Integer.MAX_VALUE) {
                throw new IOException("Heap dumps over 2 GiB are not supported: " + hprof);
            }
            MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size());
            file = mapped;
        }
        index();
    }

    /**
     * For each instance of {@code className} still reachable in the dump, the shortest chain of
     * strong references that keeps it, root first; an empty list means only weak ones do.
     */
    static List<List<Step>> pathsToInstancesOf(Path hprof, String className) throws IOException {
        return pathsToInstancesOf(hprof, className, Set.of());
    }

    /**
     * As {@link #pathsToInstancesOf(Path, String)}, but without following the fields in {@code
     * ignoredFields} (each as {@code declaring.class.Name.field}): an instance reachable only
     * through them has no path and is left out.
     */
    static List<List<Step>> pathsToInstancesOf(
            Path hprof, String className, Set<String> ignoredFields) throws IOException {
        HeapPaths heap = new HeapPaths(hprof);
        heap.ignoredFields.addAll(ignoredFields);
        return heap.pathsTo(className);
    }

    public static void main(String[] args) throws IOException {
        List<List<Step>> paths =
                pathsToInstancesOf(
                        Path.of(args[0]),
                        args[1],
                        args.length > 2 ? Set.of(args[2].split(",")) : Set.of());
        System.out.println(paths.size() + " instance(s) of " + args[1] + " strongly reachable");
        for (List<Step> path : paths) {
            System.out.println(format(path));
        }
    }

    static String format(List<Step> path) {
        StringBuilder text = new StringBuilder();
        if (path.isEmpty()) {
            return "  (not strongly reachable)\n";
        }
        for (Step step : path) {
            text.append("  ").append(step).append('\n');
        }
        return text.toString();
    }

    // ---------------------------------------------------------------- indexing

    private void index() {
        int pos = 0;
        while (file.get(pos) != 0) {
            pos++;
        }
        pos++;
        idSize = file.getInt(pos);
        pos += 4 + 8;
        int limit = file.limit();
        while (pos < limit) {
            int tag = file.get(pos) & 0xff;
            long length = file.getInt(pos + 5) & 0xffffffffL;
            int body = pos + 9;
            if (tag == UTF8) {
                byte[] bytes = new byte[(int) length - idSize];
                file.get(body + idSize, bytes);
                strings.put(id(body), new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
            } else if (tag == LOAD_CLASS) {
                classNames.put(id(body + 4), strings.get(id(body + 8 + idSize)).replace('/', '.'));
            } else if (tag == HEAP_DUMP || tag == HEAP_DUMP_SEGMENT) {
                indexHeap(body, body + (int) length);
            }
            pos = body + (int) length;
        }
        for (Map.Entry<Long, String> c : classNames.entrySet()) {
            if ("java.lang.ref.Reference".equals(c.getValue())) {
                referenceClass = c.getKey();
            }
        }
        for (Map.Entry<Long, String> s : strings.entrySet()) {
            if ("referent".equals(s.getValue()) && referenceClass != 0) {
                for (Field f : classes.get(referenceClass).fields) {
                    if (f.name == s.getKey()) {
                        referentName = f.name;
                    }
                }
            }
        }
    }

    private void indexHeap(int pos, int end) {
        while (pos < end) {
            int sub = file.get(pos) & 0xff;
            int start = pos;
            pos++;
            switch (sub) {
                case 0xFF -> pos = root(pos, "unknown root", 0);
                case 0x01 -> pos = root(pos, "JNI global", idSize);
                case 0x02 -> pos = root(pos, "JNI local", 8);
                case 0x03 -> {
                    pos = root(pos, "stack local of thread #" + file.getInt(pos + idSize), 8);
                }
                case 0x04 -> pos = root(pos, "native stack", 4);
                case 0x05 -> pos = root(pos, "sticky class", 0);
                case 0x06 -> pos = root(pos, "thread block", 4);
                case 0x07 -> pos = root(pos, "monitor used", 0);
                case 0x08 -> {
                    threadsBySerial.put(file.getInt(pos + idSize), id(pos));
                    rootKinds.put(id(pos), "thread");
                    pos = root(pos, "thread", 8);
                }
                case 0x20 -> pos = classDump(pos, start);
                case 0x21 -> {
                    offsets.put(id(pos), start);
                    pos += idSize + 4 + idSize;
                    pos += 4 + file.getInt(pos);
                }
                case 0x22 -> {
                    offsets.put(id(pos), start);
                    pos += idSize + 4;
                    int n = file.getInt(pos);
                    pos += 4 + idSize + n * idSize;
                }
                case 0x23 -> {
                    offsets.put(id(pos), start);
                    pos += idSize + 4;
                    int n = file.getInt(pos);
                    int type = file.get(pos + 4);
                    pos += 5 + n * size(type);
                }
                default ->
                        throw new IllegalStateException(
                                "Unknown heap sub-record 0x"
                                        + Integer.toHexString(sub)
                                        + " at "
                                        + start);
            }
        }
    }

    private int root(int pos, String kind, int extra) {
        long id = id(pos);
        roots.add(id);
        rootKinds.putIfAbsent(id, kind);
        return pos + idSize + extra;
    }

    private int classDump(int pos, int start) {
        long id = id(pos);
        offsets.put(id, start);
        pos += idSize + 4;
        long superId = id(pos);
        long loader = id(pos + idSize);
        pos += 6 * idSize + 4;
        int constants = file.getShort(pos) & 0xffff;
        pos += 2;
        for (int i = 0; i < constants; i++) {
            int type = file.get(pos + 2);
            pos += 3 + size(type);
        }
        int statics = file.getShort(pos) & 0xffff;
        pos += 2;
        for (int i = 0; i < statics; i++) {
            int type = file.get(pos + idSize);
            pos += idSize + 1 + size(type);
        }
        int count = file.getShort(pos) & 0xffff;
        pos += 2;
        List<Field> fields = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            fields.add(new Field(id(pos), file.get(pos + idSize)));
            pos += idSize + 1;
        }
        classes.put(id, new ClassInfo(id, superId, loader, fields, start));
        return pos;
    }

    private int size(int type) {
        return switch (type) {
            case 2 -> idSize;
            case 4, 8 -> 1;
            case 5, 9 -> 2;
            case 6, 10 -> 4;
            case 7, 11 -> 8;
            default -> throw new IllegalStateException("Unknown basic type " + type);
        };
    }

    private long id(int pos) {
        return idSize == 8 ? file.getLong(pos) : file.getInt(pos) & 0xffffffffL;
    }

    // ---------------------------------------------------------------- references

    /** Calls {@code out} with (field description, referenced id) for each strong reference. */
    private void references(long object, java.util.function.ObjLongConsumer<String> out) {
        long offset = offsets.get(object);
        if (offset < 0) {
            return;
        }
        int pos = (int) offset;
        int sub = file.get(pos) & 0xff;
        pos++;
        switch (sub) {
            case 0x20 -> {
                ClassInfo info = classes.get(object);
                out.accept("<super>", info.superId);
                out.accept("<class loader>", info.loader);
                pos += idSize + 4 + 6 * idSize + 4;
                int constants = file.getShort(pos) & 0xffff;
                pos += 2;
                for (int i = 0; i < constants; i++) {
                    int type = file.get(pos + 2);
                    if (type == 2) {
                        out.accept("<constant>", id(pos + 3));
                    }
                    pos += 3 + size(type);
                }
                int statics = file.getShort(pos) & 0xffff;
                pos += 2;
                for (int i = 0; i < statics; i++) {
                    long name = id(pos);
                    int type = file.get(pos + idSize);
                    if (type == 2) {
                        out.accept("static " + strings.get(name), id(pos + idSize + 1));
                    }
                    pos += idSize + 1 + size(type);
                }
            }
            case 0x21 -> {
                pos += idSize + 4;
                long classId = id(pos);
                out.accept("<class>", classId);
                pos += idSize + 4;
                for (ClassInfo c = classes.get(classId); c != null; c = classes.get(c.superId)) {
                    for (Field f : c.fields) {
                        if (f.type == 2) {
                            long target = id(pos);
                            if (!(c.id == referenceClass && f.name == referentName)
                                    && !ignoredFields.contains(
                                            classNames.get(c.id) + "." + strings.get(f.name))) {
                                out.accept(strings.get(f.name), target);
                            }
                        }
                        pos += size(f.type);
                    }
                }
            }
            case 0x22 -> {
                pos += idSize + 4;
                int n = file.getInt(pos);
                out.accept("<class>", id(pos + 4));
                pos += 4 + idSize;
                for (int i = 0; i < n; i++) {
                    out.accept("[" + i + "]", id(pos + i * idSize));
                }
            }
            default -> {
                // primitive arrays hold no references
            }
        }
    }

    private String classOf(long object) {
        long offset = offsets.get(object);
        if (offset < 0) {
            return "?";
        }
        int pos = (int) offset;
        int sub = file.get(pos) & 0xff;
        return switch (sub) {
            case 0x20 -> "class " + classNames.get(object);
            case 0x21 -> classNames.get(id(pos + 1 + idSize + 4));
            case 0x22 -> classNames.get(id(pos + 1 + idSize + 8));
            default -> "primitive array";
        };
    }

    // ---------------------------------------------------------------- search

    private List<List<Step>> pathsTo(String className) {
        List<Long> targets = new ArrayList<>();
        LongLongMap parents = new LongLongMap();
        long[] queue = new long[1 << 16];
        int head = 0;
        int tail = 0;
        for (long root : roots) {
            if (root != 0 && parents.get(root) < 0) {
                parents.put(root, 0);
                if (tail == queue.length) {
                    queue = Arrays.copyOf(queue, queue.length * 2);
                }
                queue[tail++] = root;
            }
        }
        while (head < tail) {
            long object = queue[head++];
            if (className.equals(classOf(object))) {
                targets.add(object);
            }
            long[][] pending = {queue};
            int[] end = {tail};
            references(
                    object,
                    (field, target) -> {
                        if (target != 0 && offsets.get(target) >= 0 && parents.get(target) < 0) {
                            parents.put(target, object);
                            if (end[0] == pending[0].length) {
                                pending[0] = Arrays.copyOf(pending[0], pending[0].length * 2);
                            }
                            pending[0][end[0]++] = target;
                        }
                    });
            queue = pending[0];
            tail = end[0];
        }
        List<List<Step>> paths = new ArrayList<>();
        for (long target : targets) {
            List<Long> chain = new ArrayList<>();
            for (long o = target; o != 0; o = parents.get(o)) {
                chain.add(0, o);
            }
            List<Step> path = new ArrayList<>();
            path.add(new Step(0, "GC root: " + rootKind(chain.get(0)), null));
            for (int i = 0; i < chain.size(); i++) {
                long o = chain.get(i);
                String via = null;
                if (i + 1 < chain.size()) {
                    long next = chain.get(i + 1);
                    String[] found = {null};
                    references(
                            o,
                            (field, target2) -> {
                                if (found[0] == null && target2 == next) {
                                    found[0] = field;
                                }
                            });
                    via = found[0];
                }
                path.add(new Step(o, classOf(o) + threadName(o), via));
            }
            paths.add(path);
        }
        return paths;
    }

    private String rootKind(long root) {
        String kind = rootKinds.get(root);
        int serialAt = kind.indexOf('#');
        if (serialAt < 0) {
            return kind;
        }
        Long thread = threadsBySerial.get(Integer.parseInt(kind.substring(serialAt + 1)));
        return kind.substring(0, serialAt) + (thread == null ? "?" : threadName(thread));
    }

    /** " (thread name)" for a java.lang.Thread object, else "". */
    private String threadName(long object) {
        if (!threadsBySerial.containsValue(object)) {
            return "";
        }
        String[] name = {null};
        references(
                object,
                (field, target) -> {
                    if ("name".equals(field)) {
                        name[0] = string(target);
                    }
                });
        return name[0] == null ? "" : " \"" + name[0] + "\"";
    }

    /** The text of a java.lang.String object (Latin-1 or UTF-16 coder). */
    private String string(long object) {
        long[] value = {0};
        references(
                object,
                (field, target) -> {
                    if ("value".equals(field)) {
                        value[0] = target;
                    }
                });
        long offset = offsets.get(value[0]);
        if (offset < 0) {
            return "?";
        }
        int pos = (int) offset + 1 + idSize + 4;
        int n = file.getInt(pos);
        byte[] bytes = new byte[n];
        file.get(pos + 5, bytes);
        return new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1).replace("\0", "");
    }

    /** An open-addressing map from long to long (absent: -1), for millions of objects. */
    private static final class LongLongMap {
        private long[] keys = new long[1 << 20];
        private long[] values = new long[1 << 20];
        private int size;

        long get(long key) {
            int mask = keys.length - 1;
            for (int i = hash(key) & mask; ; i = (i + 1) & mask) {
                if (keys[i] == key) {
                    return values[i];
                }
                if (keys[i] == 0) {
                    return -1;
                }
            }
        }

        void put(long key, long value) {
            if (size * 2 >= keys.length) {
                grow();
            }
            int mask = keys.length - 1;
            for (int i = hash(key) & mask; ; i = (i + 1) & mask) {
                if (keys[i] == key) {
                    values[i] = value;
                    return;
                }
                if (keys[i] == 0) {
                    keys[i] = key;
                    values[i] = value;
                    size++;
                    return;
                }
            }
        }

        private void grow() {
            long[] oldKeys = keys;
            long[] oldValues = values;
            keys = new long[oldKeys.length * 2];
            values = new long[oldKeys.length * 2];
            size = 0;
            for (int i = 0; i < oldKeys.length; i++) {
                if (oldKeys[i] != 0) {
                    put(oldKeys[i], oldValues[i]);
                }
            }
        }

        private static int hash(long key) {
            long h = key * 0x9E3779B97F4A7C15L;
            return (int) (h ^ (h >>> 32));
        }
    }
}
