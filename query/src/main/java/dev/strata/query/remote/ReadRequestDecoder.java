package dev.strata.query.remote;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import dev.strata.index.Matcher;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes a {@code prometheus.ReadRequest} (remote read's protobuf, after snappy) with protobuf-java's
 * wire reader. Field numbers (prompb/remote.proto, types.proto):
 * ReadRequest {1: repeated Query, 2: repeated ResponseType (packed or not)};
 * Query {1: start_timestamp_ms int64, 2: end_timestamp_ms int64, 3: repeated LabelMatcher, 4: ReadHints};
 * LabelMatcher {1: type (EQ=0, NEQ=1, RE=2, NRE=3), 2: name, 3: value};
 * ReadHints {1: step_ms, 2: func, 3: start_ms, 4: end_ms, 5: repeated grouping, 6: by, 7: range_ms}.
 * Unknown fields are skipped (forward compatibility).
 */
final class ReadRequestDecoder {
    private ReadRequestDecoder() {}

    /** @throws IllegalArgumentException with a message for the client when the bytes are not a valid request */
    static ReadRequest decode(byte[] bytes) {
        try {
            CodedInputStream in = CodedInputStream.newInstance(bytes);
            List<ReadRequest.Query> queries = new ArrayList<>();
            List<Integer> types = new ArrayList<>();
            for (int tag; (tag = in.readTag()) != 0; ) {
                switch (tag) {
                    case (1 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED -> queries.add(query(in, queries.size()));
                    case (2 << 3) | WireFormat.WIRETYPE_VARINT -> types.add(in.readEnum());
                    case (2 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED -> {
                        int limit = in.pushLimit(in.readRawVarint32());
                        while (in.getBytesUntilLimit() > 0) types.add(in.readEnum());
                        in.popLimit(limit);
                    }
                    default -> in.skipField(tag);
                }
            }
            return new ReadRequest(queries, types);
        } catch (IOException e) {
            throw new IllegalArgumentException("malformed ReadRequest protobuf: " + e.getMessage(), e);
        }
    }

    private static ReadRequest.Query query(CodedInputStream in, int index) throws IOException {
        int limit = in.pushLimit(in.readRawVarint32());
        long start = 0, end = 0;
        List<Matcher> matchers = new ArrayList<>();
        ReadRequest.Hints hints = null;
        for (int tag; (tag = in.readTag()) != 0; ) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> start = in.readInt64();
                case 2 -> end = in.readInt64();
                case 3 -> matchers.add(matcher(in, index));
                case 4 -> hints = hints(in);
                default -> in.skipField(tag);
            }
        }
        in.popLimit(limit);
        return new ReadRequest.Query(start, end, matchers, hints);
    }

    private static Matcher matcher(CodedInputStream in, int index) throws IOException {
        int limit = in.pushLimit(in.readRawVarint32());
        int type = 0;
        String name = "", value = "";
        for (int tag; (tag = in.readTag()) != 0; ) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> type = in.readEnum();
                case 2 -> name = in.readStringRequireUtf8();
                case 3 -> value = in.readStringRequireUtf8();
                default -> in.skipField(tag);
            }
        }
        in.popLimit(limit);
        Matcher.Type t = switch (type) {
            case 0 -> Matcher.Type.EQ;
            case 1 -> Matcher.Type.NEQ;
            case 2 -> Matcher.Type.RE;
            case 3 -> Matcher.Type.NRE;
            default -> throw new IllegalArgumentException("query " + index + ": unknown matcher type " + type
                    + " for label \"" + name + "\"");
        };
        return Matcher.of(t, name, value); // a bad regex throws IllegalArgumentException naming it
    }

    private static ReadRequest.Hints hints(CodedInputStream in) throws IOException {
        int limit = in.pushLimit(in.readRawVarint32());
        long step = 0, start = 0, end = 0, range = 0;
        String func = "";
        boolean by = false;
        List<String> grouping = new ArrayList<>();
        for (int tag; (tag = in.readTag()) != 0; ) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> step = in.readInt64();
                case 2 -> func = in.readStringRequireUtf8();
                case 3 -> start = in.readInt64();
                case 4 -> end = in.readInt64();
                case 5 -> grouping.add(in.readStringRequireUtf8());
                case 6 -> by = in.readBool();
                case 7 -> range = in.readInt64();
                default -> in.skipField(tag);
            }
        }
        in.popLimit(limit);
        return new ReadRequest.Hints(step, func, start, end, grouping, by, range);
    }
}
