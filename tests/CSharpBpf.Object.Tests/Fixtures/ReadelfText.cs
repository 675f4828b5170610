using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.RegularExpressions;

namespace CSharpBpf.Object.Tests.Fixtures;

/// <summary>
/// Parses `llvm-readelf -S -s -r -W` output into plain facts, so tests compare our reader's model
/// field by field with LLVM's reading of the same file.
/// </summary>
public sealed class ReadelfText
{
    public sealed record Section(int Index, string Name, string Type, ulong Offset, ulong Size, ulong EntSize, string Flags, uint Link, uint Info, ulong Align);
    public sealed record Symbol(int Index, ulong Value, ulong Size, string Type, string Bind, string Visibility, string Ndx, string Name);
    public sealed record Relocation(string SectionName, ulong Offset, ulong Info, string Type, string SymbolName);

    public List<Section> Sections { get; } = new();
    public List<Symbol> Symbols { get; } = new();
    public List<Relocation> Relocations { get; } = new();
    /// <summary>Relocation sections printed (name -> declared entry count).</summary>
    public Dictionary<string, int> RelocationSectionCounts { get; } = new();

    private static readonly Regex SectionLine = new(@"^\s*\[\s*(\d+)\]\s(.*)$");
    private static readonly Regex SymbolLine = new(@"^\s*(\d+):\s+([0-9a-f]{16})\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s?(.*)$");
    private static readonly Regex RelocHeader = new(@"^Relocation section '([^']*)' at offset 0x[0-9a-f]+ contains (\d+) entr");
    private static readonly Regex RelocLine = new(@"^([0-9a-f]{16})\s+([0-9a-f]{16})\s+(\S+)\s+([0-9a-f]{16})?\s*(.*)$");

    public static ReadelfText Parse(string text)
    {
        var result = new ReadelfText();
        string mode = "";
        string relSection = "";
        foreach (var raw in text.Replace("\r\n", "\n").Split('\n'))
        {
            string line = raw.TrimEnd();
            if (line.StartsWith("Section Headers:", StringComparison.Ordinal)) { mode = "S"; continue; }
            if (line.StartsWith("Symbol table", StringComparison.Ordinal)) { mode = "s"; continue; }
            var rh = RelocHeader.Match(line);
            if (rh.Success)
            {
                mode = "r";
                relSection = rh.Groups[1].Value;
                result.RelocationSectionCounts[relSection] = int.Parse(rh.Groups[2].Value, CultureInfo.InvariantCulture);
                continue;
            }
            if (line.Length == 0 || line.StartsWith("Key to Flags", StringComparison.Ordinal)) { if (mode == "S") mode = ""; continue; }
            switch (mode)
            {
                case "S": ParseSection(line, result); break;
                case "s":
                    var sm = SymbolLine.Match(line);
                    if (sm.Success)
                        result.Symbols.Add(new Symbol(int.Parse(sm.Groups[1].Value, CultureInfo.InvariantCulture), Hex(sm.Groups[2].Value),
                            ParseSize(sm.Groups[3].Value), sm.Groups[4].Value, sm.Groups[5].Value, sm.Groups[6].Value, sm.Groups[7].Value, sm.Groups[8].Value));
                    break;
                case "r":
                    var rm = RelocLine.Match(line);
                    if (rm.Success)
                        result.Relocations.Add(new Relocation(relSection, Hex(rm.Groups[1].Value), Hex(rm.Groups[2].Value), rm.Groups[3].Value, rm.Groups[5].Value.Trim()));
                    break;
            }
        }
        return result;
    }

    private static void ParseSection(string line, ReadelfText result)
    {
        var m = SectionLine.Match(line);
        if (!m.Success) return;
        int index = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        var t = m.Groups[2].Value.Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries);
        // [0] has no name: NULL addr off size es lk inf al. Others: name type addr off size es [flags] lk inf al.
        string name = "";
        int k = 0;
        if (t.Length >= 9) name = t[k++];
        string type = t[k++];
        k++; // address
        ulong off = Hex(t[k++]), size = Hex(t[k++]), es = Hex(t[k++]);
        string flags = t.Length - k == 4 ? t[k++] : "";
        uint lk = uint.Parse(t[k++], CultureInfo.InvariantCulture), inf = uint.Parse(t[k++], CultureInfo.InvariantCulture);
        ulong al = ulong.Parse(t[k], CultureInfo.InvariantCulture);
        result.Sections.Add(new Section(index, name, type, off, size, es, flags, lk, inf, al));
    }

    private static ulong Hex(string s) => ulong.Parse(s, NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    private static ulong ParseSize(string s) =>
        s.StartsWith("0x", StringComparison.Ordinal) ? Hex(s.Substring(2)) : ulong.Parse(s, CultureInfo.InvariantCulture);
}
