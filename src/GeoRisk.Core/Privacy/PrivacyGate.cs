using System.Runtime.CompilerServices;

namespace GeoRisk.Core.Privacy;

/// <summary>
/// Recognises personal data in a text value: BSN (11-check), IBAN (mod-97), e-mail, Dutch phone
/// numbers, Dutch licence plates (side codes 1–14) and dates of birth.
/// <para>
/// It runs on every text field of every imported row, so it is one linear pass with no regular
/// expressions: the text is cut into alphanumeric groups once, each group remembers how it is
/// joined to the previous one (" ", "-", ".", "/", parentheses), and every detector looks at a
/// few consecutive groups. Checksums (11-check, mod-97) and shapes (plate side codes, area codes)
/// keep honest lookalikes out: KvK numbers, postcodes, BAG ids, amounts, observation dates.
/// </para>
/// The result is a set of kinds, never the value: callers report "remark contains an IBAN".
/// </summary>
public static class PrivacyGate
{
    public static PersonalDataKind Scan(string? text) => text is null ? PersonalDataKind.None : Scan(text.AsSpan());

    public static PersonalDataKind Scan(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            return PersonalDataKind.None;
        }
        // Every detector needs a digit or an '@': most values (codes, words) leave here.
        var firstDigit = text.IndexOfAnyInRange('0', '9');
        var at = text.IndexOf('@');
        if (firstDigit < 0 && at < 0)
        {
            return PersonalDataKind.None;
        }
        var found = PersonalDataKind.None;
        if (at >= 0 && ContainsEmail(text, at))
        {
            found |= PersonalDataKind.Email;
        }
        if (firstDigit >= 0)
        {
            found |= ScanGroups(text);
            if (ContainsBirthDate(text))
            {
                found |= PersonalDataKind.BirthDate;
            }
        }
        return found;
    }

    // ---- groups --------------------------------------------------------------------------

    private const byte Digits = 1;
    private const byte Letters = 2;
    private const byte Mixed = 3;

    private struct Group
    {
        public int Start;
        public int Length;
        public byte Kind;
        /// <summary>The separator that joins this group to the previous one, '\0' when not joined.</summary>
        public char Join;
        /// <summary>Written as "+31…".</summary>
        public bool Plus;
        /// <summary>Preceded by "€" or "EUR": an amount, not an identifier.</summary>
        public bool Amount;
        /// <summary>Directly after "digits." or "digits,": the fraction of a decimal number.</summary>
        public bool Fraction;
    }

    private static PersonalDataKind ScanGroups(ReadOnlySpan<char> text)
    {
        var max = text.Length / 2 + 1;
        Span<Group> groups = max <= 256 ? stackalloc Group[max] : new Group[max];
        var n = 0;
        var i = 0;
        var prevEnd = -1;
        while (i < text.Length)
        {
            var c = text[i];
            if (!char.IsAsciiLetterOrDigit(c))
            {
                i++;
                continue;
            }
            var start = i;
            byte kind = 0;
            while (i < text.Length && char.IsAsciiLetterOrDigit(text[i]))
            {
                kind |= char.IsAsciiDigit(text[i]) ? Digits : Letters;
                i++;
            }
            ref var g = ref groups[n];
            g.Start = start;
            g.Length = i - start;
            g.Kind = kind;
            g.Join = n > 0 ? JoinOf(text[prevEnd..start]) : '\0';
            g.Plus = start > 0 && text[start - 1] == '+';
            g.Fraction = n > 0 && start >= 2 && text[start - 1] is '.' or ','
                         && groups[n - 1].Kind == Digits && groups[n - 1].Start + groups[n - 1].Length == start - 1;
            g.Amount = IsAmountContext(text, start, n > 0 ? groups[n - 1] : default, n > 0);
            prevEnd = i;
            n++;
        }

        var found = PersonalDataKind.None;
        for (var k = 0; k < n; k++)
        {
            ref readonly var g = ref groups[k];
            // A match consumes its groups: the digits inside an IBAN are not also a phone number.
            int used;
            if (g.Kind == Digits)
            {
                if (IsBsnAt(text, groups, n, k, out used))
                {
                    found |= PersonalDataKind.Bsn;
                    k += used - 1;
                    continue;
                }
                if ((found & PersonalDataKind.Phone) == 0 && IsPhoneAt(text, groups, n, k))
                {
                    found |= PersonalDataKind.Phone;
                }
            }
            else if (g.Length >= 4 && IsIbanAt(text, groups, n, k, out used))
            {
                found |= PersonalDataKind.Iban;
                k += used - 1;
                continue;
            }
            if ((found & PersonalDataKind.LicencePlate) == 0 && g.Length <= 6 && IsPlateAt(text, groups, n, k))
            {
                found |= PersonalDataKind.LicencePlate;
            }
        }
        return found;
    }

    private static char JoinOf(ReadOnlySpan<char> gap)
    {
        // "123 456", "06-1234", "123.456", "(020) 123", "+31 (0)6": at most two characters of
        // " -./()", of which at most one is a real separator.
        if (gap.Length is 0 or > 2)
        {
            return '\0';
        }
        var sep = '\0';
        foreach (var c in gap)
        {
            switch (c)
            {
                case ' ' or '-' or '.' or '/':
                    if (sep != '\0' && sep != '(')
                    {
                        return '\0';
                    }
                    sep = c;
                    break;
                case '(' or ')':
                    if (sep == '\0')
                    {
                        sep = '(';
                    }
                    break;
                default:
                    return '\0';
            }
        }
        return sep;
    }

    private static bool IsAmountContext(ReadOnlySpan<char> text, int start, Group previous, bool hasPrevious)
    {
        var j = start - 1;
        while (j >= 0 && text[j] == ' ')
        {
            j--;
        }
        if (j >= 0 && text[j] == '€')
        {
            return true;
        }
        // "EUR 123.456.782": the currency code directly before the number.
        return hasPrevious && previous.Length == 3 && previous.Kind == Letters
               && start - (previous.Start + previous.Length) <= 1
               && text.Slice(previous.Start, 3).Equals("EUR", StringComparison.OrdinalIgnoreCase);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Digit(char c) => c - '0';

    // ---- BSN -----------------------------------------------------------------------------

    private static bool IsBsnAt(ReadOnlySpan<char> text, ReadOnlySpan<Group> groups, int n, int k, out int used)
    {
        used = 1;
        var g = groups[k];
        if (g.Amount || g.Fraction)
        {
            return false;
        }
        Span<char> digits = stackalloc char[9];
        if (g.Length == 9)
        {
            return ElevenCheck(text.Slice(g.Start, 9));
        }
        // Written in three parts with one separator: 123.456.782, 123 456 782, 1234.56.782.
        if (k + 2 >= n || (g.Length != 3 && g.Length != 4))
        {
            return false;
        }
        var g1 = groups[k + 1];
        var g2 = groups[k + 2];
        if (g1.Kind != Digits || g2.Kind != Digits || g1.Join == '\0' || g1.Join == '(' || g1.Join == '/' || g1.Join != g2.Join)
        {
            return false;
        }
        var shapeOk = (g.Length == 3 && g1.Length == 3 && g2.Length == 3) || (g.Length == 4 && g1.Length == 2 && g2.Length == 3);
        if (!shapeOk)
        {
            return false;
        }
        // Part of a longer grouped number (1.123.456.782, an amount): not a BSN.
        if (g.Join == g1.Join && k > 0 && groups[k - 1].Kind == Digits)
        {
            return false;
        }
        if (k + 3 < n && groups[k + 3].Join == g1.Join && groups[k + 3].Kind == Digits && g1.Join != ' ')
        {
            return false;
        }
        text.Slice(g.Start, g.Length).CopyTo(digits);
        text.Slice(g1.Start, g1.Length).CopyTo(digits[g.Length..]);
        text.Slice(g2.Start, 3).CopyTo(digits[(g.Length + g1.Length)..]);
        used = 3;
        return ElevenCheck(digits);
    }

    /// <summary>The BSN 11-check: 9·d1 + 8·d2 + … + 2·d8 − d9 ≡ 0 (mod 11), all zeros excluded.</summary>
    public static bool ElevenCheck(ReadOnlySpan<char> nineDigits)
    {
        if (nineDigits.Length != 9)
        {
            return false;
        }
        var sum = 0;
        var nonZero = false;
        for (var i = 0; i < 8; i++)
        {
            var d = Digit(nineDigits[i]);
            nonZero |= d != 0;
            sum += (9 - i) * d;
        }
        sum -= Digit(nineDigits[8]);
        return nonZero && sum % 11 == 0;
    }

    // ---- IBAN ----------------------------------------------------------------------------

    private static bool IsIbanAt(ReadOnlySpan<char> text, ReadOnlySpan<Group> groups, int n, int k, out int used)
    {
        used = 1;
        var g = groups[k];
        var s = text.Slice(g.Start, g.Length);
        if (!char.IsAsciiLetter(s[0]) || !char.IsAsciiLetter(s[1]) || !char.IsAsciiDigit(s[2]) || !char.IsAsciiDigit(s[3]))
        {
            return false;
        }
        var length = IbanLength(char.ToUpperInvariant(s[0]), char.ToUpperInvariant(s[1]));
        if (length == 0)
        {
            return false;
        }
        Span<char> iban = stackalloc char[34];
        var count = 0;
        for (var j = k; j < n && count < length; j++)
        {
            var gj = groups[j];
            if (j > k && (gj.Join is '\0' or '(' or '/'))
            {
                break;
            }
            if (count + gj.Length > length)
            {
                return false;
            }
            text.Slice(gj.Start, gj.Length).CopyTo(iban[count..]);
            count += gj.Length;
            used = j - k + 1;
        }
        return count == length && Mod97(iban[..length]);
    }

    /// <summary>ISO 13616 check: move the first four characters to the end, letters as 10..35, mod 97 = 1.</summary>
    public static bool Mod97(ReadOnlySpan<char> iban)
    {
        if (iban.Length < 15)
        {
            return false;
        }
        var remainder = 0;
        for (var i = 0; i < iban.Length; i++)
        {
            var c = iban[(i + 4) % iban.Length];
            if (char.IsAsciiDigit(c))
            {
                remainder = (remainder * 10 + Digit(c)) % 97;
            }
            else if (char.IsAsciiLetter(c))
            {
                var v = char.ToUpperInvariant(c) - 'A' + 10;
                remainder = (remainder * 100 + v) % 97;
            }
            else
            {
                return false;
            }
        }
        return remainder == 1;
    }

    private static int IbanLength(char a, char b) => (a, b) switch
    {
        ('N', 'L') => 18, ('B', 'E') => 16, ('D', 'E') => 22, ('F', 'R') => 27, ('G', 'B') => 22,
        ('L', 'U') => 20, ('E', 'S') => 24, ('I', 'T') => 27, ('P', 'T') => 25, ('A', 'T') => 20,
        ('C', 'H') => 21, ('L', 'I') => 21, ('I', 'E') => 22, ('D', 'K') => 18, ('F', 'I') => 18,
        ('S', 'E') => 24, ('N', 'O') => 15, ('P', 'L') => 28, ('C', 'Z') => 24, ('S', 'K') => 24,
        ('H', 'U') => 28, ('R', 'O') => 24, ('B', 'G') => 22, ('G', 'R') => 27, ('C', 'Y') => 28,
        ('M', 'T') => 31, ('S', 'I') => 19, ('H', 'R') => 21, ('E', 'E') => 20, ('L', 'V') => 21,
        ('L', 'T') => 20, ('I', 'S') => 26, ('M', 'C') => 27, ('S', 'M') => 27, ('A', 'D') => 24,
        ('G', 'I') => 23, ('T', 'R') => 26, ('A', 'L') => 28, ('B', 'A') => 20, ('M', 'E') => 22,
        ('R', 'S') => 22, ('M', 'K') => 19, ('U', 'A') => 29, ('A', 'E') => 23, ('S', 'A') => 24,
        ('I', 'L') => 23, ('M', 'A') => 28, ('Q', 'A') => 29, ('K', 'W') => 30, ('B', 'H') => 22,
        ('J', 'O') => 30, ('L', 'B') => 28, ('G', 'E') => 22, ('A', 'Z') => 28, ('K', 'Z') => 20,
        ('B', 'R') => 29, ('E', 'G') => 29, ('T', 'N') => 24, ('M', 'D') => 24, ('F', 'O') => 18,
        ('G', 'L') => 18, ('S', 'R') => 0, ('C', 'W') => 0, _ => 0,
    };

    // ---- phone ---------------------------------------------------------------------------

    private static bool IsPhoneAt(ReadOnlySpan<char> text, ReadOnlySpan<Group> groups, int n, int k)
    {
        var g = groups[k];
        if (g.Amount || g.Fraction)
        {
            return false;
        }
        var s = text.Slice(g.Start, g.Length);
        // International: +31 6 12345678, +31 (0)20 123 4567, 0031 6 1234 5678, +316…
        var prefix = g.Plus && s.StartsWith("31") ? 2 : s.StartsWith("0031") ? 4 : 0;
        if (prefix > 0)
        {
            return NineDigitsAfterCountryCode(text, groups, n, k, prefix);
        }
        // National: 0 + nine digits, the second digit not 0 (00 starts an international number).
        if (s.Length < 2 || s[0] != '0' || s[1] == '0' || g.Plus)
        {
            return false;
        }
        if (s.Length == 10)
        {
            return true;
        }
        // The first part is an area code (0xx, 0xxx), 06, or 06 with the first subscriber digits.
        var mobile = s[1] == '6';
        if (!(s.Length is 3 or 4 || (mobile && s.Length is >= 2 and <= 8)))
        {
            return false;
        }
        if (LooksLikeDate(text, groups, n, k))
        {
            return false;
        }
        var count = s.Length;
        for (var j = k + 1; j < n; j++)
        {
            var gj = groups[j];
            if (gj.Kind != Digits || gj.Join == '\0')
            {
                return false;
            }
            count += gj.Length;
            if (count == 10)
            {
                return true;
            }
            if (count > 10)
            {
                return false;
            }
        }
        return false;
    }

    private static bool NineDigitsAfterCountryCode(ReadOnlySpan<char> text, ReadOnlySpan<Group> groups, int n, int k, int prefix)
    {
        var g = groups[k];
        var count = g.Length - prefix;
        // "+31 06…" and "+31 (0)6…": the trunk zero written after the country code is dropped.
        var leadingZero = count > 0 && text[g.Start + prefix] == '0';
        if (leadingZero)
        {
            count--;
        }
        if (count == 9)
        {
            return true;
        }
        for (var j = k + 1; j < n && count < 9; j++)
        {
            var gj = groups[j];
            if (gj.Kind != Digits || gj.Join == '\0')
            {
                return false;
            }
            var add = gj.Length;
            if (count == 0 && !leadingZero && text[gj.Start] == '0')
            {
                leadingZero = true;
                add--;
            }
            count += add;
            if (count == 9)
            {
                return true;
            }
        }
        return false;
    }

    private static bool LooksLikeDate(ReadOnlySpan<char> text, ReadOnlySpan<Group> groups, int n, int k)
    {
        if (k + 2 >= n)
        {
            return false;
        }
        var d = groups[k];
        var m = groups[k + 1];
        var y = groups[k + 2];
        if (d.Length > 2 || m.Length > 2 || y.Length != 4 || m.Kind != Digits || y.Kind != Digits || m.Join == '\0' || y.Join != m.Join)
        {
            return false;
        }
        var day = ParseSmall(text.Slice(d.Start, d.Length));
        var month = ParseSmall(text.Slice(m.Start, m.Length));
        var year = ParseSmall(text.Slice(y.Start, 4));
        return day is >= 1 and <= 31 && month is >= 1 and <= 12 && year is >= 1900 and <= 2099;
    }

    private static int ParseSmall(ReadOnlySpan<char> digits)
    {
        var v = 0;
        foreach (var c in digits)
        {
            v = v * 10 + Digit(c);
        }
        return v;
    }

    // ---- licence plates ------------------------------------------------------------------

    // Dutch side codes (sidecodes) 1–14: L = letter, D = digit.
    private static readonly string[] DashedSideCodes =
    [
        "LL-DD-DD", "DD-DD-LL", "DD-LL-DD", "LL-DD-LL", "LL-LL-DD", "DD-LL-LL", "DD-LLL-D",
        "D-LLL-DD", "LL-DDD-L", "L-DDD-LL", "LLL-DD-L", "L-DD-LLL", "D-LL-DDD", "DDD-LL-D",
    ];

    // Without dashes; side code 2 (DDDDLL) is left out because it is exactly a postcode (1012AB).
    private static readonly string[] PlainSideCodes =
        DashedSideCodes.Select(s => s.Replace("-", "", StringComparison.Ordinal)).Where(s => s != "DDDDLL").ToArray();

    // Letters used on plates since side code 4: no vowels, no C, Q, W (and no M before side code 9, but M is
    // in use today). An undashed six-character token must use only these to count as a plate: words such as
    // "24uurs" or "A4papier" do not.
    private const string PlateLetters = "BDFGHJKLMNPRSTVXZ";

    private static bool IsPlateAt(ReadOnlySpan<char> text, ReadOnlySpan<Group> groups, int n, int k)
    {
        var g = groups[k];
        Span<char> shape = stackalloc char[10];
        if (g.Kind == Mixed)
        {
            // Undashed: one token of six characters, upper case, plate letters only.
            if (g.Length != 6 || g.Join == '-' || (k + 1 < n && groups[k + 1].Join == '-'))
            {
                return false;
            }
            var s = text.Slice(g.Start, 6);
            for (var i = 0; i < 6; i++)
            {
                var c = s[i];
                if (char.IsAsciiDigit(c))
                {
                    shape[i] = 'D';
                }
                else if (PlateLetters.Contains(c))
                {
                    shape[i] = 'L';
                }
                else
                {
                    return false;
                }
            }
            var plain = shape[..6];
            foreach (var code in PlainSideCodes)
            {
                if (plain.SequenceEqual(code))
                {
                    return true;
                }
            }
            return false;
        }
        // Dashed: three groups of letters or digits joined by '-', not part of a longer dashed run.
        if (k + 2 >= n || g.Join == '-')
        {
            return false;
        }
        var g1 = groups[k + 1];
        var g2 = groups[k + 2];
        if (g1.Join != '-' || g2.Join != '-' || g1.Kind == Mixed || g2.Kind == Mixed
            || (k + 3 < n && groups[k + 3].Join == '-')
            || text[g1.Start - 1] != '-' || text[g2.Start - 1] != '-'
            || g.Length + g1.Length + g2.Length != 6)
        {
            return false;
        }
        // Letters must be one case: "AB-12-CD" or "ab-12-cd", not a mixed-case word.
        var len = 0;
        Span<Group> three = [g, g1, g2];
        var upper = 0;
        var lower = 0;
        for (var p = 0; p < 3; p++)
        {
            if (p > 0)
            {
                shape[len++] = '-';
            }
            var gp = three[p];
            for (var i = 0; i < gp.Length; i++)
            {
                var c = text[gp.Start + i];
                shape[len++] = gp.Kind == Digits ? 'D' : 'L';
                if (char.IsAsciiLetterUpper(c))
                {
                    upper++;
                }
                else if (char.IsAsciiLetterLower(c))
                {
                    lower++;
                }
            }
        }
        if (upper > 0 && lower > 0)
        {
            return false;
        }
        var dashed = shape[..len];
        foreach (var code in DashedSideCodes)
        {
            if (dashed.SequenceEqual(code))
            {
                return true;
            }
        }
        return false;
    }

    // ---- e-mail --------------------------------------------------------------------------

    private static bool ContainsEmail(ReadOnlySpan<char> text, int at)
    {
        while (at >= 0)
        {
            if (IsEmailAt(text, at))
            {
                return true;
            }
            var next = text[(at + 1)..].IndexOf('@');
            at = next < 0 ? -1 : at + 1 + next;
        }
        return false;
    }

    private static bool IsEmailAt(ReadOnlySpan<char> text, int at)
    {
        var localStart = at;
        while (localStart > 0 && IsLocalChar(text[localStart - 1]))
        {
            localStart--;
        }
        if (localStart == at || text[localStart] == '.')
        {
            return false;
        }
        // Domain: labels of letters, digits and '-', separated by dots; the last label at least
        // two letters (a TLD).
        var i = at + 1;
        var labels = 0;
        var labelLength = 0;
        var labelAllLetters = true;
        var lastLabelLength = 0;
        var lastLabelAllLetters = false;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsAsciiLetterOrDigit(c) || c == '-')
            {
                labelLength++;
                labelAllLetters &= char.IsAsciiLetter(c);
                i++;
            }
            else if (c == '.' && labelLength > 0 && i + 1 < text.Length && char.IsAsciiLetterOrDigit(text[i + 1]))
            {
                labels++;
                labelLength = 0;
                labelAllLetters = true;
                i++;
            }
            else
            {
                break;
            }
            lastLabelLength = labelLength;
            lastLabelAllLetters = labelAllLetters;
        }
        return labels >= 1 && lastLabelLength >= 2 && lastLabelAllLetters;
    }

    private static bool IsLocalChar(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '%' or '+' or '-' or '\'';

    // ---- date of birth -------------------------------------------------------------------

    private static readonly string[] MonthNames =
    [
        "januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
        "oktober", "november", "december", "jan", "feb", "mrt", "apr", "jun", "jul", "aug", "sep",
        "sept", "okt", "nov", "dec",
    ];

    /// <summary>"geb.", "geboren", "geboortedatum" (also "date of birth") followed closely by a full date.</summary>
    private static bool ContainsBirthDate(ReadOnlySpan<char> text)
    {
        var from = 0;
        while (from < text.Length)
        {
            var rest = text[from..];
            var idx = IndexOfKeyword(rest, out var keywordLength);
            if (idx < 0)
            {
                return false;
            }
            var afterKeyword = from + idx + keywordLength;
            var window = text[afterKeyword..Math.Min(text.Length, afterKeyword + 30)];
            if (ContainsFullDate(window))
            {
                return true;
            }
            from = afterKeyword;
        }
        return false;
    }

    private static int IndexOfKeyword(ReadOnlySpan<char> text, out int keywordLength)
    {
        var offset = 0;
        while (true)
        {
            var rest = text[offset..];
            var geb = rest.IndexOf("geb", StringComparison.OrdinalIgnoreCase);
            var dob = rest.IndexOf("date of birth", StringComparison.OrdinalIgnoreCase);
            if (geb < 0 && dob < 0)
            {
                keywordLength = 0;
                return -1;
            }
            if (dob >= 0 && (geb < 0 || dob < geb))
            {
                keywordLength = 13;
                return offset + dob;
            }
            var p = offset + geb;
            var wordStart = p == 0 || !char.IsLetter(text[p - 1]);
            var tail = text[(p + 3)..];
            if (wordStart)
            {
                if (tail.StartsWith("oren", StringComparison.OrdinalIgnoreCase))
                {
                    keywordLength = 7;
                    return p;
                }
                if (tail.StartsWith("oorte", StringComparison.OrdinalIgnoreCase))
                {
                    keywordLength = 8;
                    return p;
                }
                if (tail.IsEmpty || tail[0] is '.' or ':' or ' ')
                {
                    keywordLength = 3;
                    return p;
                }
            }
            offset = p + 3;
        }
    }

    /// <summary>d-m-yyyy, dd-mm-yyyy with '-', '/', '.' or ' ', or "12 maart 1985".</summary>
    private static bool ContainsFullDate(ReadOnlySpan<char> window)
    {
        for (var i = 0; i < window.Length; i++)
        {
            if (!char.IsAsciiDigit(window[i]) || (i > 0 && char.IsAsciiDigit(window[i - 1])))
            {
                continue;
            }
            var iso = i;
            if (ReadNumber(window, ref iso, 4) is >= 1900 and <= 2099 && iso + 1 < window.Length && window[iso] is '-' or '/' or '.')
            {
                var sepIso = window[iso];
                var q = iso + 1;
                var monthIso = ReadNumber(window, ref q, 2);
                if (monthIso is >= 1 and <= 12 && q < window.Length && window[q] == sepIso)
                {
                    q++;
                    if (ReadNumber(window, ref q, 2) is >= 1 and <= 31)
                    {
                        return true;
                    }
                }
            }
            var j = i;
            var day = ReadNumber(window, ref j, 2);
            if (day is < 1 or > 31 || j >= window.Length)
            {
                continue;
            }
            var sep = window[j];
            if (sep is '-' or '/' or '.' or ' ')
            {
                var k = j + 1;
                var month = ReadNumber(window, ref k, 2);
                if (month is >= 1 and <= 12 && k < window.Length && window[k] == sep)
                {
                    k++;
                    if (ReadNumber(window, ref k, 4) is >= 1900 and <= 2099)
                    {
                        return true;
                    }
                }
                else if (sep == ' ' && month < 0)
                {
                    var m = window[(j + 1)..];
                    foreach (var name in MonthNames)
                    {
                        if (m.StartsWith(name, StringComparison.OrdinalIgnoreCase))
                        {
                            var after = m[name.Length..];
                            if (!after.IsEmpty && after[0] == '.')
                            {
                                after = after[1..];
                            }
                            if (after.Length >= 5 && after[0] == ' ')
                            {
                                var y = 1;
                                if (ReadNumber(after, ref y, 4) is >= 1900 and <= 2099 && y == 5)
                                {
                                    return true;
                                }
                            }
                        }
                    }
                }
            }
        }
        return false;
    }

    /// <summary>Reads up to <paramref name="maxDigits"/> digits (exactly 4 when maxDigits is 4); -1 if none.</summary>
    private static int ReadNumber(ReadOnlySpan<char> s, ref int i, int maxDigits)
    {
        var start = i;
        var v = 0;
        while (i < s.Length && i - start < maxDigits && char.IsAsciiDigit(s[i]))
        {
            v = v * 10 + Digit(s[i]);
            i++;
        }
        if (i == start || (i < s.Length && char.IsAsciiDigit(s[i])) || (maxDigits == 4 && i - start != 4))
        {
            return -1;
        }
        return v;
    }
}
