using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace CSharpBpf.TestSupport.Docs;

/// <summary>What a marked ```csharp block of a user document claims about itself.</summary>
public enum DocBlockKind
{
    /// <summary>No marker: the documents' tests refuse these, so no unchecked C# reaches a reader.</summary>
    Unmarked,
    /// <summary>First line <c>// example: NAME</c>: a complete file that builds with no BPF diagnostic and verifies.</summary>
    Example,
    /// <summary>First line <c>// refused: BPFnnnn [verifier_code]</c>: a complete file the build refuses with exactly that id.</summary>
    Refused,
}

/// <summary>
/// One ```csharp block of a markdown file (docs/GUIDE.md, docs/DIAGNOSTICS.md) with its marker:
/// <see cref="Name"/> for examples (for refusals: the id plus the line, unique enough for a test name),
/// <see cref="ExpectedId"/> and optional <see cref="ExpectedCode"/> (a verifier error code) for refusals,
/// <see cref="RunMethods"/> from <c>// run: Namespace.Type.Method</c> lines (static, no arguments, throws on failure),
/// and the heading (<see cref="Section"/>) it sits under.
/// </summary>
public sealed record DocCodeBlock(string File, int Line, string Section, DocBlockKind Kind, string Name,
    string? ExpectedId, string? ExpectedCode, IReadOnlyList<string> RunMethods, string Text)
{
    public override string ToString() => $"{Path.GetFileName(File)}:{Line} {Name}";
}

/// <summary>Reads the ```csharp blocks of a markdown document and their markers (see <see cref="DocCodeBlock"/>).</summary>
public static class DocCodeBlocks
{
    private static readonly Regex ExampleMarker = new(@"^//\s*example:\s*(?<name>[A-Za-z0-9_.-]+)\s*$");
    private static readonly Regex RefusedMarker = new(@"^//\s*refused:\s*(?<id>BPF[0-9A-Z]+)(\s+(?<code>[a-z0-9_]+))?\s*$");
    private static readonly Regex RunMarker = new(@"^\s*//\s*run:\s*(?<method>[A-Za-z0-9_.]+)\s*$");

    public static string DocPath(string name) => Path.Combine(RepoPaths.Root, "docs", name);

    public static IReadOnlyList<DocCodeBlock> Read(string path)
    {
        var lines = System.IO.File.ReadAllLines(path);
        var blocks = new List<DocCodeBlock>();
        string section = "";
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i];
            if (line.StartsWith("#", StringComparison.Ordinal)) { section = line.TrimStart('#').Trim(); continue; }
            if (!line.StartsWith("```", StringComparison.Ordinal)) continue;
            string lang = line.Substring(3).Trim();
            int start = i + 1, end = start;
            while (end < lines.Length && !lines[end].StartsWith("```", StringComparison.Ordinal)) end++;
            if (end == lines.Length) throw new FormatException($"{path}:{i + 1}: code fence is never closed");
            i = end;
            if (lang != "csharp" && lang != "cs" && lang != "c#") continue;
            var body = lines.Skip(start).Take(end - start).ToArray();
            blocks.Add(Parse(path, start + 1, section, body));
        }
        return blocks;
    }

    private static DocCodeBlock Parse(string path, int line, string section, string[] body)
    {
        string text = string.Join("\n", body) + "\n";
        string first = body.Length > 0 ? body[0].Trim() : "";
        var runs = body.Select(l => RunMarker.Match(l)).Where(m => m.Success).Select(m => m.Groups["method"].Value).ToList();
        if (ExampleMarker.Match(first) is { Success: true } ex)
            return new DocCodeBlock(path, line, section, DocBlockKind.Example, ex.Groups["name"].Value, null, null, runs, text);
        if (RefusedMarker.Match(first) is { Success: true } rf)
        {
            string id = rf.Groups["id"].Value;
            string? code = rf.Groups["code"].Success ? rf.Groups["code"].Value : null;
            return new DocCodeBlock(path, line, section, DocBlockKind.Refused, $"{id} (line {line})", id, code, runs, text);
        }
        return new DocCodeBlock(path, line, section, DocBlockKind.Unmarked, $"unmarked (line {line})", null, null, runs, text);
    }

    /// <summary>The level-3 headings of a document that start with a diagnostic id (<c>### BPF0001 …</c>), in order.</summary>
    public static IReadOnlyList<string> HeadingIds(string path) =>
        System.IO.File.ReadAllLines(path)
            .Select(l => Regex.Match(l, @"^###\s+(?<id>BPF[0-9A-Z]+)\b"))
            .Where(m => m.Success).Select(m => m.Groups["id"].Value).ToList();

    /// <summary>The first-column <c>`code`</c> cells of the table rows under the level-2 heading <paramref name="heading"/>.</summary>
    public static IReadOnlyList<string> TableCodes(string path, string heading)
    {
        var codes = new List<string>();
        bool inside = false;
        foreach (var l in System.IO.File.ReadAllLines(path))
        {
            if (l.StartsWith("## ", StringComparison.Ordinal)) { inside = l.Substring(3).Trim() == heading; continue; }
            if (!inside) continue;
            var m = Regex.Match(l, @"^\|\s*`(?<code>[A-Za-z0-9_]+)`\s*\|");
            if (m.Success) codes.Add(m.Groups["code"].Value);
        }
        return codes;
    }

    /// <summary>The text between the level-3 heading of <paramref name="id"/> and the next heading.</summary>
    public static string SectionOf(string path, string id)
    {
        var lines = System.IO.File.ReadAllLines(path);
        int start = Array.FindIndex(lines, l => Regex.IsMatch(l, @"^###\s+" + Regex.Escape(id) + @"\b"));
        if (start < 0) return "";
        int end = start + 1;
        while (end < lines.Length && !lines[end].StartsWith("## ", StringComparison.Ordinal) && !lines[end].StartsWith("### ", StringComparison.Ordinal)) end++;
        return string.Join("\n", lines.Skip(start).Take(end - start));
    }
}
