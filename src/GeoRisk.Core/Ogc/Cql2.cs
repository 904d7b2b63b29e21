using System.Globalization;
using System.Text;

namespace GeoRisk.Core.Ogc;

/// <summary>Type of a queryable property, as OGC API Features Part 3 queryables describe it.</summary>
public enum QueryableType { Text, Number, WholeNumber, Boolean, Date, Timestamp }

/// <summary>
/// A property a filter may name: its public name, its type and the SQL expression it reads
/// (fixed by the collection's definition, never taken from a request).
/// </summary>
public sealed record OgcProperty(string Name, QueryableType Type, string Sql, string Description);

/// <summary>A literal of a filter, bound as a parameter of the given type.</summary>
public sealed record CqlValue(QueryableType Type, object Value);

/// <summary>A filter translated to SQL: a boolean expression with placeholders <c>$n</c> and their values.</summary>
public sealed record CqlSql(string Sql, IReadOnlyList<CqlValue> Values);

/// <summary>Why a filter was refused; <see cref="Position"/> is the character offset in the filter text.</summary>
public sealed class CqlException(string message, int position) : Exception(message)
{
    public int Position { get; } = position;
}

/// <summary>
/// CQL2-text (OGC 21-065) for simple property and time filters: comparisons
/// (= &lt;&gt; &lt; &lt;= &gt; &gt;=), LIKE, BETWEEN, IN, IS [NOT] NULL, AND/OR/NOT, parentheses,
/// literals (strings, numbers, TRUE/FALSE, DATE('…'), TIMESTAMP('…')) and the temporal
/// functions T_BEFORE, T_AFTER, T_EQUALS on a property and an instant. Spatial predicates are
/// not part of it: <c>bbox</c> covers the spatial case.
/// Translation to SQL checks every property against the collection's queryables and every
/// literal against the property's type; literals only ever become bound parameters.
/// </summary>
public static class Cql2
{
    private const int MaxLength = 4000;
    private const int MaxDepth = 32;

    /// <summary>
    /// Parses <paramref name="text"/> and translates it against <paramref name="queryables"/>;
    /// placeholders are numbered from <paramref name="firstParameter"/>.
    /// </summary>
    public static CqlSql ToSql(string text, IReadOnlyDictionary<string, OgcProperty> queryables, int firstParameter)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(queryables);
        if (text.Length > MaxLength) throw new CqlException($"the filter is longer than {MaxLength} characters", MaxLength);
        var parser = new Parser(Lexer.Tokenise(text), queryables, firstParameter);
        var sql = parser.ParseAll();
        return new CqlSql(sql, parser.Values);
    }

    private enum Kind { Ident, QuotedIdent, String, Number, LParen, RParen, Comma, Op, End }

    private readonly record struct Token(Kind Kind, string Text, int Position)
    {
        public bool IsWord(string word) => Kind == Kind.Ident && string.Equals(Text, word, StringComparison.OrdinalIgnoreCase);
    }

    private static class Lexer
    {
        public static List<Token> Tokenise(string s)
        {
            var tokens = new List<Token>();
            var i = 0;
            while (i < s.Length)
            {
                var c = s[i];
                if (char.IsWhiteSpace(c)) { i++; continue; }
                var start = i;
                switch (c)
                {
                    case '(': tokens.Add(new(Kind.LParen, "(", i++)); continue;
                    case ')': tokens.Add(new(Kind.RParen, ")", i++)); continue;
                    case ',': tokens.Add(new(Kind.Comma, ",", i++)); continue;
                    case '=': tokens.Add(new(Kind.Op, "=", i++)); continue;
                    case '<':
                        if (i + 1 < s.Length && (s[i + 1] == '=' || s[i + 1] == '>')) { tokens.Add(new(Kind.Op, s.Substring(i, 2), i)); i += 2; }
                        else tokens.Add(new(Kind.Op, "<", i++));
                        continue;
                    case '>':
                        if (i + 1 < s.Length && s[i + 1] == '=') { tokens.Add(new(Kind.Op, ">=", i)); i += 2; }
                        else tokens.Add(new(Kind.Op, ">", i++));
                        continue;
                    case '\'':
                    case '"':
                        tokens.Add(new(c == '\'' ? Kind.String : Kind.QuotedIdent, Quoted(s, ref i, c), start));
                        continue;
                }
                if (char.IsDigit(c) || ((c == '-' || c == '+' || c == '.') && i + 1 < s.Length && (char.IsDigit(s[i + 1]) || s[i + 1] == '.')))
                {
                    i++;
                    while (i < s.Length && (char.IsDigit(s[i]) || s[i] == '.' || s[i] == 'e' || s[i] == 'E'
                                            || ((s[i] == '-' || s[i] == '+') && (s[i - 1] == 'e' || s[i - 1] == 'E')))) i++;
                    tokens.Add(new(Kind.Number, s[start..i], start));
                    continue;
                }
                if (char.IsLetter(c) || c == '_')
                {
                    while (i < s.Length && (char.IsLetterOrDigit(s[i]) || s[i] == '_' || s[i] == '.' || s[i] == ':')) i++;
                    tokens.Add(new(Kind.Ident, s[start..i], start));
                    continue;
                }
                throw new CqlException($"unexpected character '{c}' at position {i}", i);
            }
            tokens.Add(new(Kind.End, "", s.Length));
            return tokens;
        }

        private static string Quoted(string s, ref int i, char quote)
        {
            var start = i;
            var sb = new StringBuilder();
            i++;
            while (i < s.Length)
            {
                if (s[i] == quote)
                {
                    // A doubled quote stands for one quote character.
                    if (i + 1 < s.Length && s[i + 1] == quote) { sb.Append(quote); i += 2; continue; }
                    i++;
                    return sb.ToString();
                }
                sb.Append(s[i++]);
            }
            throw new CqlException($"unterminated quoted text starting at position {start}", start);
        }
    }

    /// <summary>An operand of a predicate: SQL text with its type (a property or a bound literal).</summary>
    private readonly record struct Operand(string Sql, QueryableType Type, bool IsProperty, string Label, int Position);

    private sealed class Parser(List<Token> tokens, IReadOnlyDictionary<string, OgcProperty> queryables, int firstParameter)
    {
        private int _pos;
        private int _depth;
        public List<CqlValue> Values { get; } = [];

        private Token Peek => tokens[_pos];
        private Token Next() => tokens[_pos++];

        public string ParseAll()
        {
            if (Peek.Kind == Kind.End) throw new CqlException("the filter is empty", 0);
            var sql = Or();
            if (Peek.Kind != Kind.End) throw Unexpected(Peek, "AND, OR or the end of the filter");
            return sql;
        }

        private string Or()
        {
            var left = And();
            while (Peek.IsWord("OR")) { Next(); left = $"({left} OR {And()})"; }
            return left;
        }

        private string And()
        {
            var left = Not();
            while (Peek.IsWord("AND")) { Next(); left = $"({left} AND {Not()})"; }
            return left;
        }

        private string Not()
        {
            if (Peek.IsWord("NOT")) { Next(); return $"(NOT {Not()})"; }
            return Primary();
        }

        private string Primary()
        {
            if (++_depth > MaxDepth) throw new CqlException($"the filter nests deeper than {MaxDepth} levels", Peek.Position);
            try
            {
                if (Peek.Kind == Kind.LParen)
                {
                    Next();
                    var inner = Or();
                    Expect(Kind.RParen, "')'");
                    return inner;
                }
                if (Peek.Kind == Kind.Ident && tokens[_pos + 1].Kind == Kind.LParen && TemporalFunction(Peek.Text) is { } op)
                    return Temporal(op);
                return Predicate();
            }
            finally { _depth--; }
        }

        private static string? TemporalFunction(string name) => name.ToUpperInvariant() switch
        {
            "T_BEFORE" => "<",
            "T_AFTER" => ">",
            "T_EQUALS" => "=",
            _ => null,
        };

        private string Temporal(string op)
        {
            var name = Next();
            Expect(Kind.LParen, "'('");
            var a = Scalar();
            Expect(Kind.Comma, "','");
            var b = Scalar();
            Expect(Kind.RParen, "')'");
            foreach (var operand in new[] { a, b })
                if (operand.Type is not (QueryableType.Date or QueryableType.Timestamp))
                    throw new CqlException($"{name.Text.ToUpperInvariant()} compares instants; {operand.Label} is not a date or timestamp", operand.Position);
            return $"({Cast(a, b)} {op} {Cast(b, a)})";
        }

        private string Predicate()
        {
            var left = Scalar();
            var negate = false;
            if (Peek.IsWord("IS"))
            {
                Next();
                if (Peek.IsWord("NOT")) { Next(); negate = true; }
                if (!Peek.IsWord("NULL")) throw Unexpected(Peek, "NULL");
                Next();
                return $"({left.Sql} IS {(negate ? "NOT " : "")}NULL)";
            }
            if (Peek.IsWord("NOT")) { Next(); negate = true; }
            var not = negate ? "NOT " : "";
            if (Peek.IsWord("LIKE"))
            {
                Next();
                var pattern = Scalar();
                RequireType(left, QueryableType.Text, "LIKE");
                RequireType(pattern, QueryableType.Text, "LIKE");
                return $"({left.Sql} {not}LIKE {pattern.Sql})";
            }
            if (Peek.IsWord("BETWEEN"))
            {
                Next();
                var low = Scalar();
                if (!Peek.IsWord("AND")) throw Unexpected(Peek, "AND");
                Next();
                var high = Scalar();
                Compatible(left, low);
                Compatible(left, high);
                return $"({Cast(left, low)} {not}BETWEEN {Cast(low, left)} AND {Cast(high, left)})";
            }
            if (Peek.IsWord("IN"))
            {
                Next();
                Expect(Kind.LParen, "'('");
                var items = new List<string>();
                do
                {
                    var item = Scalar();
                    Compatible(left, item);
                    items.Add(Cast(item, left));
                } while (Peek.Kind == Kind.Comma && Next().Kind == Kind.Comma);
                Expect(Kind.RParen, "')'");
                return $"({Cast(left, left)} {not}IN ({string.Join(", ", items)}))";
            }
            if (negate) throw Unexpected(Peek, "LIKE, BETWEEN or IN after NOT");
            if (Peek.Kind != Kind.Op) throw Unexpected(Peek, "a comparison (=, <>, <, <=, >, >=), LIKE, BETWEEN, IN or IS NULL");
            var op = Next().Text;
            var right = Scalar();
            Compatible(left, right);
            if (left.Type == QueryableType.Boolean && op is not ("=" or "<>"))
                throw new CqlException($"booleans can only be compared with = or <>", right.Position);
            return $"({Cast(left, right)} {op} {Cast(right, left)})";
        }

        private Operand Scalar()
        {
            var t = Next();
            switch (t.Kind)
            {
                case Kind.String:
                    // Text literals are never echoed in errors: a filter may carry anything.
                    return Bind(QueryableType.Text, t.Text, $"the text at position {t.Position}", t.Position);
                case Kind.Number:
                    if (!double.TryParse(t.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || !double.IsFinite(number))
                        throw new CqlException($"'{Short(t.Text)}' at position {t.Position} is not a number", t.Position);
                    return Bind(QueryableType.Number, number, t.Text, t.Position);
                case Kind.QuotedIdent:
                    return Property(t);
                case Kind.Ident when t.IsWord("TRUE") || t.IsWord("FALSE"):
                    return Bind(QueryableType.Boolean, t.IsWord("TRUE"), t.Text.ToUpperInvariant(), t.Position);
                case Kind.Ident when (t.IsWord("DATE") || t.IsWord("TIMESTAMP")) && Peek.Kind == Kind.LParen:
                    Next();
                    var literal = Next();
                    if (literal.Kind != Kind.String) throw Unexpected(literal, $"a quoted {t.Text.ToUpperInvariant()} literal");
                    Expect(Kind.RParen, "')'");
                    return t.IsWord("DATE") ? ParseDate(literal) : ParseTimestamp(literal);
                case Kind.Ident when Peek.Kind == Kind.LParen:
                    throw new CqlException($"function '{Short(t.Text)}' at position {t.Position} is not supported; supported: DATE, TIMESTAMP, T_BEFORE, T_AFTER, T_EQUALS", t.Position);
                case Kind.Ident:
                    return Property(t);
                default:
                    throw Unexpected(t, "a property name or a literal");
            }
        }

        private Operand ParseDate(Token literal)
        {
            if (!DateOnly.TryParseExact(literal.Text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                throw new CqlException($"the DATE at position {literal.Position} is not a date yyyy-mm-dd", literal.Position);
            return Bind(QueryableType.Date, date, $"DATE('{literal.Text}')", literal.Position);
        }

        private Operand ParseTimestamp(Token literal)
        {
            // RFC 3339 with a zone (CQL2 requires UTC "Z"; an offset is accepted too).
            if (!HasZone(literal.Text) || !DateTimeOffset.TryParseExact(literal.Text, ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"],
                    CultureInfo.InvariantCulture, DateTimeStyles.None, out var instant))
                throw new CqlException($"the TIMESTAMP at position {literal.Position} is not an RFC 3339 timestamp with a zone, e.g. 2026-01-31T23:00:00Z", literal.Position);
            return Bind(QueryableType.Timestamp, instant.ToUniversalTime(), $"TIMESTAMP('{literal.Text}')", literal.Position);

            static bool HasZone(string s) => s.EndsWith('Z') || s.EndsWith('z') || (s.Length > 6 && (s[^6] == '+' || s[^6] == '-'));
        }

        private Operand Property(Token t)
        {
            if (!queryables.TryGetValue(t.Text, out var q))
                throw new CqlException(
                    $"unknown property '{Short(t.Text)}' at position {t.Position}; queryables: {string.Join(", ", queryables.Keys.Order(StringComparer.Ordinal))}",
                    t.Position);
            return new Operand(q.Sql, q.Type, true, $"property '{q.Name}'", t.Position);
        }

        private Operand Bind(QueryableType type, object value, string label, int position)
        {
            Values.Add(new CqlValue(type, value));
            var n = firstParameter + Values.Count - 1;
            var cast = type switch
            {
                QueryableType.Text => "text",
                QueryableType.Number => "float8",
                QueryableType.WholeNumber => "bigint",
                QueryableType.Boolean => "boolean",
                QueryableType.Date => "date",
                _ => "timestamptz",
            };
            return new Operand($"${n.ToString(CultureInfo.InvariantCulture)}::{cast}", type, false, label, position);
        }

        /// <summary>
        /// A date property compared with a timestamp (or the reverse) compares as timestamps in
        /// Dutch local time: a date means the start of that day in Amsterdam.
        /// </summary>
        private static string Cast(Operand self, Operand other) =>
            self.Type == QueryableType.Date && other.Type == QueryableType.Timestamp
                ? $"(({self.Sql})::timestamp AT TIME ZONE 'Europe/Amsterdam')"
                : self.Sql;

        private static bool Numeric(QueryableType t) => t is QueryableType.Number or QueryableType.WholeNumber;
        private static bool Temporal(QueryableType t) => t is QueryableType.Date or QueryableType.Timestamp;

        private static void Compatible(Operand a, Operand b)
        {
            if (a.Type == b.Type || (Numeric(a.Type) && Numeric(b.Type)) || (Temporal(a.Type) && Temporal(b.Type))) return;
            var (what, other) = a.IsProperty ? (a, b) : (b, a);
            throw new CqlException($"{what.Label} is a {Describe(what.Type)} and cannot be compared with {other.Label} (a {Describe(other.Type)})", b.Position);
        }

        private static void RequireType(Operand o, QueryableType type, string op)
        {
            if (o.Type != type) throw new CqlException($"{op} needs a {Describe(type)}; {o.Label} is a {Describe(o.Type)}", o.Position);
        }

        private static string Describe(QueryableType t) => t == QueryableType.WholeNumber ? "whole number" : t.ToString().ToLowerInvariant();

        private void Expect(Kind kind, string what)
        {
            if (Peek.Kind != kind) throw Unexpected(Peek, what);
            Next();
        }

        private static CqlException Unexpected(Token t, string expected) =>
            new(t.Kind == Kind.End
                ? $"the filter ends where {expected} was expected"
                : $"expected {expected} at position {t.Position}, found {(t.Kind == Kind.String ? "a quoted text" : $"'{Short(t.Text)}'")}", t.Position);

        private static string Short(string s) => s.Length > 40 ? s[..40] + "…" : s;
    }
}
