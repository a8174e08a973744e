package dev.strata.query.parser;

import dev.strata.index.Matcher;
import dev.strata.query.ast.AggregateExpr;
import dev.strata.query.ast.AtModifier;
import dev.strata.query.ast.BinaryExpr;
import dev.strata.query.ast.Call;
import dev.strata.query.ast.DurationExpr;
import dev.strata.query.ast.Expr;
import dev.strata.query.ast.Function;
import dev.strata.query.ast.MatrixSelector;
import dev.strata.query.ast.NumberLiteral;
import dev.strata.query.ast.ParenExpr;
import dev.strata.query.ast.StringLiteral;
import dev.strata.query.ast.SubqueryExpr;
import dev.strata.query.ast.UnaryExpr;
import dev.strata.query.ast.ValueType;
import dev.strata.query.ast.VectorMatching;
import dev.strata.query.ast.VectorSelector;
import dev.strata.query.parser.Token.Kind;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Recursive-descent PromQL parser (Prometheus 3.x grammar, experimental features included) with
 * Prometheus's type checks. Binary precedence, lowest first: {@code or}; {@code and unless};
 * comparisons; {@code + -}; {@code * / % atan2}; {@code ^} (right associative). Unary minus binds like
 * {@code *} so {@code -a^b} is {@code -(a^b)}. Offset, {@code @} and ranges bind tightest.
 */
public final class Parser {
    static final Set<String> AGGREGATORS = Set.of("sum", "avg", "count", "min", "max", "group", "stddev", "stdvar",
            "topk", "bottomk", "count_values", "quantile", "limitk", "limit_ratio");

    private final String input;
    private final List<Token> tokens;
    private int p;
    /** True while parsing info()'s label-selector argument, which may match the empty string. */
    private boolean allowEmptySelector;
    /** Current nesting: expressions and duration expressions being parsed, plus binary operators chained to the left. */
    private int depth;

    /**
     * Deepest nesting accepted (parentheses, function calls, aggregations, unary and binary operators,
     * subqueries, duration arithmetic). Parsing and evaluation recurse once per level, so without a
     * limit a hostile query overflows the stack; deeper queries are answered 400 (bad_data). Queries
     * people write stay far below it.
     */
    public static final int MAX_DEPTH = 128;
    private final IdentityHashMap<Expr, Integer> positions = new IdentityHashMap<>();

    /** Start offset of every node, for messages that point into the query (annotations). */
    public record Parsed(Expr expr, IdentityHashMap<Expr, Integer> positions) {
        /** Prometheus's " (line:col)" suffix for a node, "" if unknown. */
        public String position(Expr e, String input) {
            Integer pos = positions.get(e);
            if (pos == null) return "";
            int line = 1, lastBreak = -1;
            for (int i = 0; i < Math.min(pos, input.length()); i++) {
                if (input.charAt(i) == '\n') {
                    line++;
                    lastBreak = i;
                }
            }
            return " (" + line + ":" + (pos - lastBreak) + ")";
        }
    }

    private <T extends Expr> T at(T e, int pos) {
        positions.putIfAbsent(e, pos);
        return e;
    }

    private int posOf(Expr e) {
        Integer pos = positions.get(e);
        return pos == null ? 0 : pos;
    }

    private Parser(String input) {
        this.input = input;
        this.tokens = Lexer.lex(input);
    }

    /** Parses a full expression. */
    public static Expr parse(String input) {
        return parseWithPositions(input).expr();
    }

    /** Parses a full expression and keeps every node's start offset. */
    public static Parsed parseWithPositions(String input) {
        Parser ps = new Parser(input);
        if (ps.peek().kind() == Kind.EOF) throw new ParseException(input, 0, "no expression found in input");
        Expr e = ps.expr(0);
        if (ps.peek().kind() != Kind.EOF) throw ps.unexpected(ps.peek(), null);
        return new Parsed(e, ps.positions);
    }

    /** Parses a series selector such as {@code foo{a="b"}} into its matchers (for series APIs and tests). */
    public static List<Matcher> parseMatchers(String input) {
        Expr e = parse(input);
        if (e instanceof VectorSelector vs) {
            if (vs.offset() != null || vs.at() != null) throw new ParseException(input, 0, "expected a series selector");
            return vs.matchers();
        }
        throw new ParseException(input, 0, "expected type vector selector, got " + e.type().display());
    }

    // ---- token helpers ----

    private Token peek() {
        return tokens.get(p);
    }

    private Token peek(int ahead) {
        return tokens.get(Math.min(p + ahead, tokens.size() - 1));
    }

    private Token next() {
        Token t = tokens.get(p);
        if (t.kind() != Kind.EOF) p++;
        return t;
    }

    private boolean isWord(Token t, String kw) {
        return t.kind() == Kind.IDENT && t.text().toLowerCase(Locale.ROOT).equals(kw);
    }

    private Token expect(Kind k, String context) {
        Token t = next();
        if (t.kind() != k) throw unexpected(t, context);
        return t;
    }

    private ParseException unexpected(Token t, String context) {
        String msg = "unexpected " + t.describe();
        if (context != null) msg += " in " + context;
        return new ParseException(input, t.pos(), msg);
    }

    private ParseException error(int pos, String msg) {
        return new ParseException(input, pos, msg);
    }

    // ---- expressions ----

    private static int precedence(Token t) {
        switch (t.kind()) {
            case POW: return 6;
            case MUL: case DIV: case MOD: return 5;
            case ADD: case SUB: return 4;
            case EQLC: case NEQ: case LTE: case LSS: case GTE: case GTR: case TRIM_UPPER: case TRIM_LOWER: return 3;
            case IDENT:
                switch (t.text().toLowerCase(Locale.ROOT)) {
                    case "atan2": return 5;
                    case "and": case "unless": return 2;
                    case "or": return 1;
                    default: return -1;
                }
            default: return -1;
        }
    }

    /** Counts one level of nesting at {@code t}; beyond {@link #MAX_DEPTH} the query is rejected. */
    private void enter(Token t) {
        if (++depth > MAX_DEPTH) {
            throw error(t.pos(), "expression nesting depth exceeds the limit of " + MAX_DEPTH);
        }
    }

    private Expr expr(int minPrec) {
        enter(peek());
        int saved = depth;
        try {
            return exprAtDepth(minPrec);
        } finally {
            depth = saved - 1;
        }
    }

    /**
     * The body of {@link #expr}: each binary operator chained to the left adds a level (the tree
     * {@code ((a+b)+c)+d} is as deep as its chain), restored by {@code expr}.
     */
    private Expr exprAtDepth(int minPrec) {
        Expr lhs = unary();
        while (true) {
            Token opTok = peek();
            int prec = precedence(opTok);
            if (prec < 0 || prec < minPrec) return lhs;
            next();
            String op = opTok.kind() == Kind.IDENT ? opTok.text().toLowerCase(Locale.ROOT) : opTok.text();
            boolean returnBool = false;
            if (isWord(peek(), "bool")) {
                next();
                returnBool = true;
            }
            VectorMatching.Card card = VectorMatching.Card.ONE_TO_ONE;
            List<String> matching = List.of();
            boolean on = false;
            boolean explicit = false;
            List<String> include = List.of();
            if (isWord(peek(), "on") || isWord(peek(), "ignoring")) {
                on = isWord(next(), "on") ;
                on = tokens.get(p - 1).text().equalsIgnoreCase("on");
                matching = labelList();
                explicit = true;
            }
            if (isWord(peek(), "group_left") || isWord(peek(), "group_right")) {
                Token g = next();
                card = g.text().equalsIgnoreCase("group_left") ? VectorMatching.Card.MANY_TO_ONE
                        : VectorMatching.Card.ONE_TO_MANY;
                if (peek().kind() == Kind.LPAREN) include = labelList();
                if (BinaryExpr.isSetOperator(op)) {
                    throw error(g.pos(), "no grouping allowed for \"" + op + "\" operation");
                }
            }
            Double fillLeft = null, fillRight = null;
            while ((isWord(peek(), "fill") || isWord(peek(), "fill_left") || isWord(peek(), "fill_right"))
                    && peek(1).kind() == Kind.LPAREN) {
                String which = next().text().toLowerCase(Locale.ROOT);
                expect(Kind.LPAREN, "fill modifier");
                double v = signedNumber();
                expect(Kind.RPAREN, "fill modifier");
                if (!which.equals("fill_right")) fillLeft = v;
                if (!which.equals("fill_left")) fillRight = v;
            }
            enter(opTok);
            Expr rhs = expr(op.equals("^") ? prec : prec + 1);
            if (BinaryExpr.isSetOperator(op) && card == VectorMatching.Card.ONE_TO_ONE) {
                card = VectorMatching.Card.MANY_TO_MANY;
            }
            for (String l : matching) {
                if (on && include.contains(l)) {
                    throw error(opTok.pos(), "label \"" + l + "\" must not occur in ON and GROUP clause at once");
                }
            }
            VectorMatching vm = new VectorMatching(card, matching, on, include, fillLeft, fillRight);
            lhs = at(checkBinary(opTok, op, lhs, rhs, vm, returnBool, explicit), posOf(lhs));
        }
    }

    private double signedNumber() {
        double sign = 1;
        if (peek().kind() == Kind.SUB || peek().kind() == Kind.ADD) {
            if (next().kind() == Kind.SUB) sign = -1;
        }
        Token t = next();
        if (t.kind() == Kind.NUMBER) return sign * number(t);
        if (t.kind() == Kind.DURATION) return sign * Durations.parseMs(t.text()) / 1000.0;
        throw unexpected(t, null);
    }

    private Expr checkBinary(Token opTok, String op, Expr lhs, Expr rhs, VectorMatching vm, boolean returnBool,
                             boolean explicit) {
        ValueType lt = lhs.type(), rt = rhs.type();
        if (returnBool && !BinaryExpr.isComparison(op)) {
            throw error(opTok.pos(), "bool modifier can only be used on comparison operators");
        }
        if ((lt != ValueType.SCALAR && lt != ValueType.VECTOR) || (rt != ValueType.SCALAR && rt != ValueType.VECTOR)) {
            throw error(opTok.pos(), "binary expression must contain only scalar and instant vector types");
        }
        if (BinaryExpr.isComparison(op) && !returnBool && lt == ValueType.SCALAR && rt == ValueType.SCALAR) {
            throw error(opTok.pos(), "comparisons between scalars must use BOOL modifier");
        }
        if (BinaryExpr.isSetOperator(op) && (lt == ValueType.SCALAR || rt == ValueType.SCALAR)) {
            throw error(opTok.pos(), "set operator \"" + op + "\" not allowed in binary scalar expression");
        }
        boolean bothVectors = lt == ValueType.VECTOR && rt == ValueType.VECTOR;
        if (!bothVectors && (explicit || vm.card() == VectorMatching.Card.MANY_TO_ONE
                || vm.card() == VectorMatching.Card.ONE_TO_MANY)) {
            throw error(opTok.pos(), "vector matching only allowed between instant vectors");
        }
        return new BinaryExpr(op, lhs, rhs, bothVectors ? vm : null, returnBool, explicit);
    }

    private List<String> labelList() {
        expect(Kind.LPAREN, "grouping opts");
        List<String> out = new ArrayList<>();
        while (peek().kind() != Kind.RPAREN) {
            Token t = next();
            String name;
            if (t.kind() == Kind.IDENT || (t.kind() == Kind.NUMBER && Character.isLetter(t.text().charAt(0)))) {
                name = t.text();
                if (name.contains(":")) throw error(t.pos(), "unexpected identifier \"" + name + "\" in grouping opts, expected label");
            } else if (t.kind() == Kind.STRING) {
                name = t.text();
            } else {
                throw error(t.pos(), "unexpected " + t.describe() + " in grouping opts, expected label");
            }
            out.add(name);
            if (peek().kind() == Kind.COMMA) next();
            else if (peek().kind() != Kind.RPAREN) throw error(peek().pos(), "unexpected " + peek().describe() + " in grouping opts, expected \")\" or \",\"");
        }
        next();
        return out;
    }

    private Expr unary() {
        Token t = peek();
        if (t.kind() == Kind.SUB || t.kind() == Kind.ADD) {
            next();
            Expr e = expr(6);
            if (e instanceof NumberLiteral n) {
                return at(new NumberLiteral(t.kind() == Kind.SUB ? -n.value() : n.value()), t.pos());
            }
            if (e.type() != ValueType.SCALAR && e.type() != ValueType.VECTOR) {
                throw error(t.pos(), "unary expression only allowed on expressions of type scalar or instant vector, got \""
                        + e.type().display() + "\"");
            }
            return at(new UnaryExpr(t.text(), e), t.pos());
        }
        int start = peek().pos();
        return at(postfix(at(primary(), start)), start);
    }

    private Expr postfix(Expr e) {
        int start = posOf(e);
        while (true) {
            e = at(e, start);
            Token t = peek();
            if (t.kind() == Kind.LBRACKET) {
                e = rangeOrSubquery(e);
            } else if (isWord(t, "offset")) {
                next();
                DurationExpr off = offsetDuration();
                e = withOffset(e, off, t);
            } else if (t.kind() == Kind.AT) {
                next();
                AtModifier at = atModifier();
                e = withAt(e, at, t);
            } else if ((isWord(t, "anchored") || isWord(t, "smoothed")) && e instanceof MatrixSelector ms) {
                next();
                VectorSelector vs = isWord(t, "anchored") ? ms.selector().withAnchored() : ms.selector().withSmoothed();
                e = new MatrixSelector(vs, ms.range());
            } else if (isWord(t, "smoothed") && e instanceof VectorSelector vs) {
                next();
                e = vs.withSmoothed();
            } else {
                return e;
            }
        }
    }

    private Expr withOffset(Expr e, DurationExpr off, Token t) {
        if (e instanceof VectorSelector vs) {
            if (vs.offset() != null) throw error(t.pos(), "offset may not be set multiple times");
            return vs.withOffset(off);
        }
        if (e instanceof MatrixSelector ms) {
            if (ms.selector().offset() != null) throw error(t.pos(), "offset may not be set multiple times");
            return new MatrixSelector(ms.selector().withOffset(off), ms.range());
        }
        if (e instanceof SubqueryExpr sq) {
            if (sq.offset() != null) throw error(t.pos(), "offset may not be set multiple times");
            return sq.withOffset(off);
        }
        throw error(t.pos(), "offset modifier must be preceded by an instant vector selector or range vector selector or a subquery");
    }

    private Expr withAt(Expr e, AtModifier at, Token t) {
        if (e instanceof VectorSelector vs) {
            if (vs.at() != null) throw error(t.pos(), "@ <timestamp> may not be set multiple times");
            return vs.withAt(at);
        }
        if (e instanceof MatrixSelector ms) {
            if (ms.selector().at() != null) throw error(t.pos(), "@ <timestamp> may not be set multiple times");
            return new MatrixSelector(ms.selector().withAt(at), ms.range());
        }
        if (e instanceof SubqueryExpr sq) {
            if (sq.at() != null) throw error(t.pos(), "@ <timestamp> may not be set multiple times");
            return sq.withAt(at);
        }
        throw error(t.pos(), "@ modifier must be preceded by an instant vector selector or range vector selector or a subquery");
    }

    private AtModifier atModifier() {
        Token t = peek();
        if ((isWord(t, "start") || isWord(t, "end")) && peek(1).kind() == Kind.LPAREN) {
            next();
            next();
            expect(Kind.RPAREN, "@ modifier");
            return isWord(t, "start") ? AtModifier.START : AtModifier.END;
        }
        double v = signedNumber();
        if (Double.isNaN(v) || Double.isInfinite(v) || Math.abs(v) > 9.2e15) {
            throw error(t.pos(), "timestamp out of bounds for @ modifier: " + v);
        }
        return AtModifier.at(Math.round(v * 1000));
    }

    private Expr rangeOrSubquery(Expr e) {
        Token open = next();
        DurationExpr range = durationExpr(0);
        if (peek().kind() == Kind.COLON) {
            next();
            DurationExpr step = null;
            if (peek().kind() != Kind.RBRACKET) step = durationExpr(0);
            expect(Kind.RBRACKET, "subquery selector");
            if (e.type() != ValueType.VECTOR) {
                throw error(open.pos(), "subquery is only allowed on instant vector, got " + e.type().display()
                        + " instead");
            }
            checkPositive(range, open, "range");
            return new SubqueryExpr(e, range, step, null, null);
        }
        expect(Kind.RBRACKET, "range selector");
        if (!(e instanceof VectorSelector vs)) {
            throw error(open.pos(), "ranges only allowed for vector selectors");
        }
        if (vs.offset() != null || vs.at() != null) {
            throw error(open.pos(), "ranges only allowed for vector selectors");
        }
        checkPositive(range, open, "range");
        return new MatrixSelector(vs, range);
    }

    private void checkPositive(DurationExpr d, Token at, String what) {
        if (d instanceof DurationExpr.Literal l && l.ms() <= 0) {
            throw error(at.pos(), "duration must be greater than 0");
        }
    }

    /** The duration after {@code offset}: one signed atom, so {@code offset 5m + 1} is {@code (x offset 5m) + 1}. */
    private DurationExpr offsetDuration() {
        Token t = peek();
        if (t.kind() == Kind.SUB || t.kind() == Kind.ADD) {
            next();
            DurationExpr inner = durationAtom();
            if (t.kind() == Kind.ADD) return inner;
            if (inner instanceof DurationExpr.Literal l) return new DurationExpr.Literal(-l.ms(), l.asNumber());
            return new DurationExpr.Unary("-", inner);
        }
        return durationAtom();
    }

    private static int durationPrecedence(Token t) {
        return switch (t.kind()) {
            case POW -> 6;
            case MUL, DIV, MOD -> 5;
            case ADD, SUB -> 4;
            default -> -1;
        };
    }

    private DurationExpr durationExpr(int minPrec) {
        enter(peek());
        int saved = depth;
        try {
            return durationExprAtDepth(minPrec);
        } finally {
            depth = saved - 1;
        }
    }

    private DurationExpr durationExprAtDepth(int minPrec) {
        DurationExpr lhs;
        Token t = peek();
        if (t.kind() == Kind.SUB || t.kind() == Kind.ADD) {
            next();
            DurationExpr inner = durationExpr(6);
            lhs = t.kind() == Kind.ADD ? inner : negate(inner);
        } else {
            lhs = durationAtom();
        }
        while (true) {
            Token op = peek();
            int prec = durationPrecedence(op);
            if (prec < 0 || prec < minPrec) return lhs;
            next();
            enter(op);
            DurationExpr rhs = durationExpr(op.kind() == Kind.POW ? prec : prec + 1);
            lhs = new DurationExpr.Binary(op.text(), lhs, rhs);
        }
    }

    private DurationExpr negate(DurationExpr inner) {
        if (inner instanceof DurationExpr.Literal l) return new DurationExpr.Literal(-l.ms(), l.asNumber());
        return new DurationExpr.Unary("-", inner);
    }

    private DurationExpr durationAtom() {
        Token t = next();
        switch (t.kind()) {
            case DURATION:
                try {
                    return new DurationExpr.Literal(Durations.parseMs(t.text()), false);
                } catch (IllegalArgumentException | ArithmeticException e) {
                    throw error(t.pos(), "not a valid duration string: \"" + t.text() + "\"");
                }
            case NUMBER: {
                double v = number(t);
                double ms = v * 1000;
                if (ms == Math.rint(ms) && !Double.isInfinite(ms)) return new DurationExpr.Literal((long) ms, true);
                return new DurationExpr.Number(v);
            }
            case LPAREN: {
                DurationExpr inner = durationExpr(0);
                expect(Kind.RPAREN, "duration expression");
                return new DurationExpr.Paren(inner);
            }
            case IDENT: {
                String w = t.text().toLowerCase(Locale.ROOT);
                if ((w.equals("step") || w.equals("range")) && peek().kind() == Kind.LPAREN) {
                    next();
                    expect(Kind.RPAREN, "duration expression");
                    return new DurationExpr.Builtin(w);
                }
                if ((w.equals("min_of") || w.equals("max_of")) && peek().kind() == Kind.LPAREN) {
                    next();
                    DurationExpr a = durationExpr(0);
                    expect(Kind.COMMA, "duration expression");
                    DurationExpr b = durationExpr(0);
                    expect(Kind.RPAREN, "duration expression");
                    return new DurationExpr.Binary(w, a, b);
                }
                throw unexpected(t, "duration expression");
            }
            default:
                throw unexpected(t, "duration expression");
        }
    }

    private double number(Token t) {
        String s = t.text();
        String lower = s.toLowerCase(Locale.ROOT);
        if (lower.equals("inf")) return Double.POSITIVE_INFINITY;
        if (lower.equals("nan")) return Double.NaN;
        try {
            if (lower.startsWith("0x")) return (double) Long.parseUnsignedLong(s.substring(2), 16);
            if (lower.length() > 1 && lower.startsWith("0") && lower.chars().allMatch(Character::isDigit)) {
                return (double) Long.parseLong(s, 8);
            }
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw error(t.pos(), "bad number or duration syntax: \"" + s + "\"");
        }
    }

    private Expr primary() {
        Token t = next();
        switch (t.kind()) {
            case NUMBER:
                return new NumberLiteral(number(t));
            case DURATION:
                try {
                    return new NumberLiteral(Durations.parseMs(t.text()) / 1000.0);
                } catch (IllegalArgumentException | ArithmeticException e) {
                    throw error(t.pos(), "not a valid duration string: \"" + t.text() + "\"");
                }
            case STRING:
                return new StringLiteral(t.text());
            case LPAREN: {
                Expr inner = expr(0);
                expect(Kind.RPAREN, "paren expression");
                return new ParenExpr(inner);
            }
            case LBRACE:
                return selector(null, t);
            case IDENT:
                return identifier(t);
            default:
                throw unexpected(t, null);
        }
    }

    private Expr identifier(Token t) {
        String lower = t.text().toLowerCase(Locale.ROOT);
        if (AGGREGATORS.contains(lower)) return aggregation(t, lower);
        if (peek().kind() == Kind.LPAREN) {
            Function f = Function.get(t.text());
            if (f == null && Set.of("step", "range", "start", "end", "min_of", "max_of").contains(lower)) {
                f = Function.get(lower);
            }
            if (f == null) throw error(t.pos(), "unknown function with name \"" + t.text() + "\"");
            return call(t, f);
        }
        switch (lower) {
            case "bool", "on", "ignoring", "group_left", "group_right", "offset", "by", "without", "and", "or",
                 "unless", "atan2" -> throw unexpected(t, null);
            default -> { }
        }
        if (peek().kind() == Kind.LBRACE) {
            Token brace = next();
            return selector(t.text(), brace);
        }
        return new VectorSelector(t.text(), List.of(Matcher.eq("__name__", t.text())), null, null, false, false);
    }

    private VectorSelector selector(String name, Token brace) {
        List<Matcher> ms = new ArrayList<>();
        String quotedName = null;
        while (peek().kind() != Kind.RBRACE) {
            Token lt = next();
            String label;
            if (lt.kind() == Kind.STRING) {
                if (peek().kind() == Kind.COMMA || peek().kind() == Kind.RBRACE) {
                    if (name != null || quotedName != null) {
                        throw error(lt.pos(), "metric name must not be set twice: \"" + (name != null ? name : quotedName)
                                + "\" or \"" + lt.text() + "\"");
                    }
                    quotedName = lt.text();
                    if (peek().kind() == Kind.COMMA) next();
                    continue;
                }
                label = lt.text();
            } else if (lt.kind() == Kind.IDENT || (lt.kind() == Kind.NUMBER && Character.isLetter(lt.text().charAt(0)))) {
                label = lt.text();
            } else {
                throw error(lt.pos(), "unexpected " + lt.describe() + " in label matching, expected label");
            }
            Token op = next();
            Matcher.Type type = switch (op.kind()) {
                case ASSIGN -> Matcher.Type.EQ;
                case NEQ -> Matcher.Type.NEQ;
                case EQL_REGEX -> Matcher.Type.RE;
                case NEQ_REGEX -> Matcher.Type.NRE;
                default -> throw error(op.pos(), "unexpected " + op.describe()
                        + " in label matching, expected one of \"=\", \"!=\", \"=~\" or \"!~\"");
            };
            Token val = next();
            if (val.kind() != Kind.STRING) {
                throw error(val.pos(), "unexpected " + val.describe() + " in label matching, expected string");
            }
            try {
                ms.add(Matcher.of(type, label, val.text()));
            } catch (IllegalArgumentException e) { // an invalid regex: reported at the matcher, as Prometheus does
                throw error(lt.pos(), e.getMessage());
            }
            if (peek().kind() == Kind.COMMA) next();
            else if (peek().kind() != Kind.RBRACE) {
                throw error(peek().pos(), "unexpected " + peek().describe() + " in label matching, expected \",\" or \"}\"");
            }
        }
        next();
        String metric = name != null ? name : quotedName;
        if (metric != null) {
            for (Matcher m : ms) {
                if (m.name().equals("__name__")) {
                    throw error(brace.pos(), "metric name must not be set twice: \"" + metric + "\" or \"" + m.value() + "\"");
                }
            }
            ms.add(0, Matcher.eq("__name__", metric));
        }
        boolean nonEmpty = false;
        for (Matcher m : ms) {
            if (!m.matchesEmpty()) nonEmpty = true;
        }
        if (!nonEmpty && !allowEmptySelector) {
            throw error(brace.pos(), "vector selector must contain at least one non-empty matcher");
        }
        return new VectorSelector(metric, ms, null, null, false, false);
    }

    private Expr aggregation(Token t, String op) {
        List<String> grouping = List.of();
        boolean without = false, has = false;
        if (isWord(peek(), "by") || isWord(peek(), "without")) {
            without = isWord(next(), "without");
            grouping = labelList();
            has = true;
        }
        Token open = expect(Kind.LPAREN, "aggregation");
        List<Expr> args = new ArrayList<>();
        if (peek().kind() != Kind.RPAREN) {
            args.add(expr(0));
            while (peek().kind() == Kind.COMMA) {
                next();
                if (peek().kind() == Kind.RPAREN) break;
                args.add(expr(0));
            }
        }
        expect(Kind.RPAREN, "aggregation");
        if (isWord(peek(), "by") || isWord(peek(), "without")) {
            if (has) throw unexpected(peek(), "aggregation");
            without = isWord(next(), "without");
            grouping = labelList();
            has = true;
        }
        boolean needsParam = switch (op) {
            case "topk", "bottomk", "quantile", "count_values", "limitk", "limit_ratio" -> true;
            default -> false;
        };
        int want = needsParam ? 2 : 1;
        if (args.size() != want) {
            throw error(open.pos(), "wrong number of arguments for aggregate expression provided, expected " + want
                    + ", got " + args.size());
        }
        Expr param = needsParam ? args.get(0) : null;
        Expr e = args.get(want - 1);
        if (e.type() != ValueType.VECTOR) {
            throw error(t.pos(), "expected type instant vector in aggregation expression, got " + e.type().display());
        }
        if (param != null) {
            ValueType pt = op.equals("count_values") ? ValueType.STRING : ValueType.SCALAR;
            if (param.type() != pt) {
                throw error(t.pos(), "expected type " + pt.display() + " in aggregation parameter, got "
                        + param.type().display());
            }
        }
        return new AggregateExpr(op, e, param, grouping, without, has);
    }

    private Expr call(Token t, Function f) {
        expect(Kind.LPAREN, "function call");
        List<Expr> args = new ArrayList<>();
        if (peek().kind() != Kind.RPAREN) {
            args.add(expr(0));
            while (peek().kind() == Kind.COMMA) {
                next();
                if (peek().kind() == Kind.RPAREN) break;
                boolean saved = allowEmptySelector;
                allowEmptySelector = f.name().equals("info") && args.size() == 1;
                try {
                    args.add(expr(0));
                } finally {
                    allowEmptySelector = saved;
                }
            }
        }
        expect(Kind.RPAREN, "function call");
        int n = f.argTypes().size();
        int got = args.size();
        String fq = "\"" + f.name() + "\"";
        if (f.variadic() == 0) {
            if (got != n) {
                throw error(t.pos(), "expected " + n + " argument(s) in call to " + fq + ", got " + got);
            }
        } else if (f.variadic() > 0) {
            int min = n - f.variadic();
            if (got < min) throw error(t.pos(), "expected at least " + min + " argument(s) in call to " + fq + ", got " + got);
            if (got > n) throw error(t.pos(), "expected at most " + n + " argument(s) in call to " + fq + ", got " + got);
        } else {
            int min = n - 1;
            if (got < min) throw error(t.pos(), "expected at least " + min + " argument(s) in call to " + fq + ", got " + got);
        }
        for (int i = 0; i < got; i++) {
            ValueType want = i < n ? f.argTypes().get(i) : f.argTypes().get(n - 1);
            if (f.name().equals("histogram_quantiles") && i >= 2) want = ValueType.SCALAR;
            ValueType have = args.get(i).type();
            if (have != want) {
                throw error(t.pos(), "expected type " + want.display() + " in call to function " + fq + ", got "
                        + have.display());
            }
        }
        return new Call(f, args);
    }
}
