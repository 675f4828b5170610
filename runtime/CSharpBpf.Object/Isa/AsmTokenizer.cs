using System.Collections.Generic;

namespace CSharpBpf.Object.Isa;

internal enum AsmTokenKind
{
    Identifier,
    Number,
    Punct,
    Placeholder,
    /// <summary>A character no token starts with; matching fails on it.</summary>
    Bad,
}

internal readonly struct AsmToken
{
    public AsmToken(AsmTokenKind kind, string text, int position)
    {
        Kind = kind;
        Text = text;
        Position = position;
    }

    public AsmTokenKind Kind { get; }
    public string Text { get; }

    /// <summary>Character offset in the text the token came from.</summary>
    public int Position { get; }

    public override string ToString() => Text;
}

/// <summary>
/// Splits llvm-style BPF assembly into tokens. Templates and input are tokenized the same way, so
/// whitespace is free (<c>r0=1</c> and <c>r0 = 1</c> match the same form) and an operator such as
/// <c>s&gt;&gt;=</c> is the identifier <c>s</c> followed by <c>&gt;&gt;=</c> on both sides.
/// </summary>
internal static class AsmTokenizer
{
    // Longest first, so "<<=" is not read as "<" "<" "=".
    static readonly string[] Operators =
    {
        "<<=", ">>=", "+=", "-=", "*=", "/=", "%=", "|=", "&=", "^=", "==", "!=", ">=", "<=",
        "=", "+", "-", "*", "/", "%", "|", "&", "^", "<", ">", "(", ")", "[", "]", ",", ":",
    };

    public static List<AsmToken> Tokenize(string text, int start, int end, bool allowPlaceholders = false)
    {
        var tokens = new List<AsmToken>();
        int i = start;
        while (i < end)
        {
            char c = text[i];
            if (char.IsWhiteSpace(c)) { i++; continue; }
            int begin = i;
            if (IsIdentStart(c) || (allowPlaceholders && c == '$'))
            {
                i++;
                while (i < end && IsIdentPart(text[i])) i++;
                var kind = c == '$' ? AsmTokenKind.Placeholder : AsmTokenKind.Identifier;
                tokens.Add(new AsmToken(kind, text.Substring(begin, i - begin), begin));
                continue;
            }
            if (c >= '0' && c <= '9')
            {
                // Numbers swallow trailing identifier characters so "0x1g" is one bad number, not "0x1" "g".
                i++;
                while (i < end && IsIdentPart(text[i])) i++;
                tokens.Add(new AsmToken(AsmTokenKind.Number, text.Substring(begin, i - begin), begin));
                continue;
            }
            string? op = null;
            foreach (var candidate in Operators)
                if (string.CompareOrdinal(text, i, candidate, 0, candidate.Length) == 0 && i + candidate.Length <= end)
                {
                    op = candidate;
                    break;
                }
            if (op is null)
            {
                tokens.Add(new AsmToken(AsmTokenKind.Bad, c.ToString(), begin));
                i++;
                continue;
            }
            tokens.Add(new AsmToken(AsmTokenKind.Punct, op, begin));
            i += op.Length;
        }
        return tokens;
    }

    static bool IsIdentStart(char c) => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or '_' or '.';
    static bool IsIdentPart(char c) => IsIdentStart(c) || c is >= '0' and <= '9';
}
