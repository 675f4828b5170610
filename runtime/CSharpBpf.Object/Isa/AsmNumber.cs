using System.Globalization;

namespace CSharpBpf.Object.Isa;

/// <summary>Number spelling shared by printer and parser: llvm-objdump prints signed hex (<c>-0x1</c>).</summary>
internal static class AsmNumber
{
    public static string SignedHex(long value) =>
        value < 0 ? "-0x" + unchecked((ulong)-value).ToString("x", CultureInfo.InvariantCulture)
                  : "0x" + value.ToString("x", CultureInfo.InvariantCulture);

    public static string UnsignedHex(ulong value) => "0x" + value.ToString("x", CultureInfo.InvariantCulture);

    /// <summary>"+0x3" / "-0x3": jump offsets always carry a sign.</summary>
    public static string Displacement(long value) => value < 0 ? SignedHex(value) : "+" + SignedHex(value);

    /// <summary>"+ 0x4" / "- 0x4": memory offsets, spaced as llvm prints them.</summary>
    public static string SpacedDisplacement(long value) =>
        value < 0 ? "- " + SignedHex(value).Substring(1) : "+ " + SignedHex(value);

    /// <summary>Parses "0x1f" or "31" (no sign) into a magnitude; false when malformed or above 2^64-1.</summary>
    public static bool TryParseMagnitude(string text, out ulong value)
    {
        if (text.Length > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X'))
            return ulong.TryParse(text.Substring(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
        return ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }
}
