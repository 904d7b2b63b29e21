using System.Globalization;
using System.Numerics;
using GeoRisk.Core.Privacy;

namespace GeoRisk.UnitTests.Privacy;

/// <summary>
/// The gate on thousands of generated values (seeded, so reproducible): every valid BSN,
/// IBAN and mobile number in every spelling is found, and generated lookalikes all pass.
/// </summary>
public class PrivacyGateGeneratedTests
{
    private const int Count = 2000;

    private static string Bsn(Random random)
    {
        while (true)
        {
            var digits = new int[9];
            for (var i = 0; i < 8; i++)
            {
                digits[i] = random.Next(10);
            }
            var sum = 0;
            for (var i = 0; i < 8; i++)
            {
                sum += (9 - i) * digits[i];
            }
            digits[8] = sum % 11;
            if (digits[8] < 10 && sum > 0)
            {
                return string.Concat(digits);
            }
        }
    }

    private static string Spelled(Random random, string nine) => random.Next(4) switch
    {
        0 => nine,
        1 => $"{nine[..3]}.{nine[3..6]}.{nine[6..]}",
        2 => $"{nine[..3]} {nine[3..6]} {nine[6..]}",
        _ => $"{nine[..4]}.{nine[4..6]}.{nine[6..]}",
    };

    private static string Context(Random random, string value) => random.Next(3) switch
    {
        0 => value,
        1 => $"gegevens: {value}.",
        _ => $"zie ({value}) en verder niets",
    };

    [Fact]
    public void Every_generated_bsn_is_found_in_every_spelling()
    {
        var random = new Random(11);
        for (var i = 0; i < Count; i++)
        {
            var text = Context(random, Spelled(random, Bsn(random)));
            Assert.True(PrivacyGate.Scan(text).HasFlag(PersonalDataKind.Bsn), $"case {i}");
        }
    }

    [Fact]
    public void Nine_digit_numbers_failing_the_eleven_check_pass()
    {
        var random = new Random(12);
        var tested = 0;
        while (tested < Count)
        {
            var nine = random.Next(100_000_000, 1_000_000_000).ToString(CultureInfo.InvariantCulture);
            if (PrivacyGate.ElevenCheck(nine))
            {
                continue;
            }
            tested++;
            Assert.Equal(PersonalDataKind.None, PrivacyGate.Scan(Context(random, Spelled(random, nine))));
        }
    }

    [Fact]
    public void Every_generated_dutch_iban_is_found_compact_and_grouped()
    {
        var random = new Random(13);
        string[] banks = ["ABNA", "INGB", "RABO", "SNSB", "TRIO", "ASNB", "KNAB", "BUNQ"];
        for (var i = 0; i < Count; i++)
        {
            var bban = banks[random.Next(banks.Length)] + random.NextInt64(0, 10_000_000_000).ToString("D10", CultureInfo.InvariantCulture);
            // Check digits: 98 − (BBAN + "NL00" as digits) mod 97.
            var numeric = string.Concat((bban + "NL00").Select(c => char.IsAsciiDigit(c) ? c.ToString() : (c - 'A' + 10).ToString(CultureInfo.InvariantCulture)));
            var check = 98 - (int)(BigInteger.Parse(numeric, CultureInfo.InvariantCulture) % 97);
            var iban = $"NL{check:D2}{bban}";
            var text = random.Next(3) switch
            {
                0 => iban,
                1 => string.Join(' ', iban.Chunk(4).Select(c => new string(c))),
                _ => iban.ToLowerInvariant(),
            };
            Assert.True(PrivacyGate.Scan(Context(random, text)).HasFlag(PersonalDataKind.Iban), $"case {i}");
            // One changed digit breaks the check: no IBAN any more.
            var broken = iban[..^1] + (char)('0' + (iban[^1] - '0' + 1) % 10);
            Assert.False(PrivacyGate.Scan(broken).HasFlag(PersonalDataKind.Iban), $"broken case {i}");
        }
    }

    [Fact]
    public void Every_generated_mobile_number_is_found_in_common_formats()
    {
        var random = new Random(14);
        for (var i = 0; i < Count; i++)
        {
            var eight = random.Next(10_000_000, 100_000_000).ToString(CultureInfo.InvariantCulture);
            var text = random.Next(6) switch
            {
                0 => $"06{eight}",
                1 => $"06-{eight}",
                2 => $"06 {eight[..4]} {eight[4..]}",
                3 => $"+31 6 {eight}",
                4 => $"+316{eight}",
                _ => $"0031 6 {eight[..2]} {eight[2..4]} {eight[4..6]} {eight[6..]}",
            };
            Assert.True(PrivacyGate.Scan(Context(random, text)).HasFlag(PersonalDataKind.Phone), $"case {i}");
        }
    }

    [Fact]
    public void Generated_honest_values_pass()
    {
        var random = new Random(15);
        for (var i = 0; i < Count; i++)
        {
            var values = new[]
            {
                $"KvK {random.Next(10_000_000, 100_000_000)}",
                $"{random.Next(1000, 10000)} {(char)('A' + random.Next(26))}{(char)('A' + random.Next(26))} {random.Next(1, 300)}",
                $"waargenomen {random.Next(1, 29):D2}-{random.Next(1, 13):D2}-20{random.Next(10, 27)} {random.Next(0, 24):D2}:{random.Next(0, 60):D2}",
                $"0363{random.NextInt64(100_000_000_000, 1_000_000_000_000)}",
                $"€ {random.Next(1, 999)}.{random.Next(0, 1000):D3},{random.Next(0, 100):D2}",
                $"{random.NextDouble() * 3 + 4:F6}, {random.NextDouble() * 3 + 51:F6}",
                $"POINT({random.Next(10_000, 280_000)} {random.Next(300_000, 620_000)})",
            };
            foreach (var value in values)
            {
                Assert.True(PrivacyGate.Scan(value) == PersonalDataKind.None, $"case {i}: false positive on a generated honest value of shape {values.ToList().IndexOf(value)}");
            }
        }
    }
}
