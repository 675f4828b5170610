using System;
using System.Text;

namespace CSharpBpf.Cli.Run;

/// <summary>Hex text (whitespace and an optional 0x ignored) to bytes, with a message naming the bad position.</summary>
internal static class HexCodec
{
    public static byte[] Parse(string text, string what)
    {
        var sb = new StringBuilder(text.Length);
        foreach (char c in text)
            if (!char.IsWhiteSpace(c)) sb.Append(c);
        string s = sb.ToString();
        if (s.StartsWith("0x", StringComparison.OrdinalIgnoreCase)) s = s.Substring(2);
        if (s.Length % 2 != 0) throw new FormatException($"{what}: odd number of hex digits ({s.Length})");
        var bytes = new byte[s.Length / 2];
        for (int i = 0; i < bytes.Length; i++)
        {
            int hi = Digit(s[2 * i]), lo = Digit(s[2 * i + 1]);
            if (hi < 0 || lo < 0) throw new FormatException($"{what}: '{s.Substring(2 * i, 2)}' at hex digit {2 * i} is not hex");
            bytes[i] = (byte)(hi << 4 | lo);
        }
        return bytes;
    }

    private static int Digit(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };
}
