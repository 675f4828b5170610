using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace CSharpBpf.CompilerComparison;

/// <remarks><paramref name="Ours"/> is null when the C# side could not be built (<paramref name="Missing"/> says why).</remarks>
public sealed record ComparisonRow(Case Case, ProgramSize? Ours, ProgramSize Clang, VerifierResult OursKernel, VerifierResult ClangKernel, string? Missing = null)
{
    public double? InsnRatio => Ours is null ? null : (double)Ours.Total / Clang.Total;

    /// <summary>
    /// "yes (N frames, D distinct)" when both twins returned the same on all N corpus frames (D different
    /// return values seen) and left the same contents in their same-named maps; "NO: …" otherwise; "-" without test_run.
    /// </summary>
    public string Agreement
    {
        get
        {
            if (OursKernel.Returns is not { } a || ClangKernel.Returns is not { } b) return "-";
            for (int i = 0; i < Math.Min(a.Count, b.Count); i++)
                if (a[i] != b[i]) return $"NO: frame {i}: {a[i]} vs {b[i]}";
            if (OursKernel.Maps is { } om && ClangKernel.Maps is { } cm)
                foreach (var (name, state) in om)
                    if (cm.TryGetValue(name, out var other) && other != state) return $"NO: map {name} differs";
            return $"yes ({a.Count} frames, {a.Distinct().Count()} distinct)";
        }
    }

    public double? ProcessedRatio => OursKernel.ProcessedInsns is int o && ClangKernel.ProcessedInsns is int c && c > 0 ? (double)o / c : null;
}

/// <summary>The per-program table and the geometric means of the ratios (C# / clang; below 1 = we are smaller).</summary>
public static class ComparisonTable
{
    private static readonly string[] Header =
        { "program", "kind", "C# insns", "clang insns", "ratio", "C# processed", "clang processed", "ratio", "same results" };

    public static string Format(IReadOnlyList<ComparisonRow> rows, bool markdown)
    {
        var cells = rows.Select(r => new[]
        {
            r.Case.Name,
            r.Case.Kind,
            r.Ours is null ? "-" : Size(r.Ours),
            Size(r.Clang),
            r.InsnRatio is double ir ? Ratio(ir) : "-",
            Processed(r.OursKernel),
            Processed(r.ClangKernel),
            r.ProcessedRatio is double p ? Ratio(p) : "-",
            r.Agreement,
        }).ToList();

        var insn = rows.Where(r => r.InsnRatio is not null).Select(r => r.InsnRatio!.Value).ToList();
        var processed = rows.Where(r => r.ProcessedRatio is not null).Select(r => r.ProcessedRatio!.Value).ToList();
        var footer = new[]
        {
            "geometric mean", "", "", "", insn.Count == 0 ? "-" : Ratio(GeoMean(insn)) + (insn.Count < rows.Count ? $" ({insn.Count}/{rows.Count})" : ""), "", "",
            processed.Count == 0 ? "-" : Ratio(GeoMean(processed)) + (processed.Count < rows.Count ? $" ({processed.Count}/{rows.Count})" : ""),
            "",
        };

        var sb = new StringBuilder();
        if (markdown) WriteMarkdown(sb, cells, footer); else WritePlain(sb, cells, footer);

        sb.AppendLine();
        sb.AppendLine("insns = 8-byte slots of the program's function in its section plus the subprograms it calls (LD_IMM64 counts 2);");
        sb.AppendLine("        \"N (E+S)\" = E in the program's function + S in subprograms.");
        sb.AppendLine("processed = the verifier's \"processed N insns\" (BPF_PROG_LOAD, log_level 4 = BPF_LOG_STATS) on this kernel.");
        if (rows.Any(r => r.OursKernel.FromProgInfo || r.ClangKernel.FromProgInfo))
            sb.AppendLine("           * = bpf_prog_info.verified_insns of the loader's load (the same counter; the log_level 4 replay needs attach data only the loader has, e.g. struct_ops).");
        sb.AppendLine("ratio = C# / clang (below 1.00 = the C# compiler's program is smaller).");
        sb.AppendLine("same results = both twins return the same value on every frame of the packet corpus (BPF_PROG_TEST_RUN)");
        sb.AppendLine("               and leave the same contents in their maps (\"-\": no test_run for the kind, e.g. struct_ops).");
        foreach (var r in rows.Where(r => r.Missing is not null)) sb.AppendLine($"C# \"-\" for {r.Case.Name}: {r.Missing}");
        var reasons = rows.Where(r => r.Missing is null).SelectMany(r => new[] { (r.Case.Name, "C#", r.OursKernel.Reason), (r.Case.Name, "clang", r.ClangKernel.Reason) })
            .Where(x => x.Reason is not null).ToList();
        if (reasons.Select(x => x.Reason).Distinct().Count() == 1 && reasons.Count == rows.Count(r => r.Missing is null) * 2)
            sb.AppendLine("processed \"-\": " + reasons[0].Reason);
        else
            foreach (var (name, who, reason) in reasons) sb.AppendLine($"processed \"-\" for {name} ({who}): {reason}");
        return sb.ToString();
    }

    public static double GeoMean(IEnumerable<double> values)
    {
        var list = values.ToList();
        return list.Count == 0 ? double.NaN : Math.Exp(list.Sum(Math.Log) / list.Count);
    }

    private static string Size(ProgramSize s) =>
        s.Subprograms == 0 ? s.Total.ToString(CultureInfo.InvariantCulture) : $"{s.Total} ({s.Entry}+{s.Subprograms})";

    private static string Processed(VerifierResult v) =>
        v.ProcessedInsns is int n ? n.ToString(CultureInfo.InvariantCulture) + (v.FromProgInfo ? "*" : "") : "-";

    private static string Ratio(double r) => r.ToString("0.00", CultureInfo.InvariantCulture) + "x";

    private static void WritePlain(StringBuilder sb, List<string[]> cells, string[] footer)
    {
        var all = cells.Prepend(Header).Append(footer).ToList();
        int[] width = Enumerable.Range(0, Header.Length).Select(i => all.Max(r => r[i].Length)).ToArray();
        string Line(string[] r) => string.Join("  ", r.Select((c, i) => i < 2 || i == width.Length - 1 ? c.PadRight(width[i]) : c.PadLeft(width[i]))).TrimEnd();
        sb.AppendLine(Line(Header));
        sb.AppendLine(new string('-', width.Sum() + 2 * (width.Length - 1)));
        foreach (var r in cells) sb.AppendLine(Line(r));
        sb.AppendLine(new string('-', width.Sum() + 2 * (width.Length - 1)));
        sb.AppendLine(Line(footer));
    }

    private static void WriteMarkdown(StringBuilder sb, List<string[]> cells, string[] footer)
    {
        sb.AppendLine("| " + string.Join(" | ", Header) + " |");
        sb.AppendLine("|" + string.Join("|", Header.Select((_, i) => i < 2 || i == Header.Length - 1 ? "---" : "---:")) + "|");
        foreach (var r in cells) sb.AppendLine("| " + string.Join(" | ", r) + " |");
        sb.AppendLine("| **" + footer[0] + "** | " + string.Join(" | ", footer.Skip(1).Select(c => c.Length == 0 ? "" : "**" + c + "**")) + " |");
    }
}
