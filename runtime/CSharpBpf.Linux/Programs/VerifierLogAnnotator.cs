using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace CSharpBpf.Linux.Programs;

/// <summary>
/// Adds source references to a verifier log: the verifier prints "N: (op) …" per instruction N;
/// each such line whose source location differs from the previous one gets a "; file:line: text"
/// line above it, found through line_info (the last record at or before N). The kernel's own
/// short-form source comments are dropped in favour of these.
/// </summary>
public static class VerifierLogAnnotator
{
    public static string Annotate(string log, IReadOnlyList<SourceLine> lines)
    {
        if (lines.Count == 0 || log.Length == 0) return log;
        var sorted = lines.OrderBy(l => l.InstructionIndex).ToArray();
        var sb = new StringBuilder();
        SourceLine? last = null;
        foreach (var raw in log.Split('\n'))
        {
            // The kernel's own "; text @ file:line" lines (printed when line_info is loaded) are replaced by ours, which carry the full path.
            if (raw.StartsWith("; ", StringComparison.Ordinal) && raw.Contains(" @ ")) continue;
            int insn = InstructionIndexOf(raw);
            if (insn >= 0)
            {
                var src = Find(sorted, insn);
                if (src is not null && !ReferenceEquals(src, last))
                {
                    sb.Append("; ").Append(src.File).Append(':').Append(src.Line.ToString(CultureInfo.InvariantCulture));
                    if (src.Text.Length > 0) sb.Append(": ").Append(src.Text.Trim());
                    sb.Append('\n');
                    last = src;
                }
            }
            sb.Append(raw).Append('\n');
        }
        return sb.ToString().TrimEnd('\n');
    }

    /// <summary>The source line for an instruction index, or null before the first record.</summary>
    public static SourceLine? Find(IReadOnlyList<SourceLine> sorted, int insn)
    {
        SourceLine? best = null;
        foreach (var l in sorted)
        {
            if (l.InstructionIndex > insn) break;
            best = l;
        }
        return best;
    }

    // "12: (85) call …" → 12; anything else → -1.
    private static int InstructionIndexOf(string line)
    {
        int i = 0;
        while (i < line.Length && char.IsDigit(line[i])) i++;
        if (i == 0 || i + 2 > line.Length || line[i] != ':' || line[i + 1] != ' ' || line.Length <= i + 2 || line[i + 2] != '(') return -1;
        return int.Parse(line.Substring(0, i), CultureInfo.InvariantCulture);
    }
}
