using System.Collections.Generic;
using System.Globalization;
using System.Text.RegularExpressions;

namespace CSharpBpf.Object.Tests.Fixtures;

/// <summary>Parses `llvm-objdump -dr --no-show-raw-insn` output: per section, labels, instruction
/// indices, ELF relocations and the CO-RE relocations llvm reads from .BTF.ext.</summary>
public sealed class ObjdumpText
{
    public sealed record Label(ulong Offset, string Name);
    public sealed record Reloc(ulong Offset, string Type, string Symbol);
    public sealed record CoreRelo(ulong Offset, string Kind, uint TypeId, string Spec, string Access);

    public sealed class Section
    {
        public List<Label> Labels { get; } = new();
        public List<int> InstructionIndices { get; } = new();
        public List<Reloc> Relocations { get; } = new();
        public List<CoreRelo> CoreRelos { get; } = new();
    }

    public Dictionary<string, Section> Sections { get; } = new();

    private static readonly Regex SectionRx = new(@"^Disassembly of section (.*):$");
    private static readonly Regex LabelRx = new(@"^([0-9a-f]{16}) <(.*)>:$");
    private static readonly Regex InsnRx = new(@"^\s+(\d+):\t");
    private static readonly Regex RelocRx = new(@"^\t\t([0-9a-f]{16}):  (R_BPF_\S+)\t(\S+)$");
    private static readonly Regex CoreRx = new(@"^\t\t([0-9a-f]{16}):  CO-RE <(\w+)> \[(\d+)\] (.*?)(?: \(([0-9:]+)\))?$");

    public static ObjdumpText Parse(string text)
    {
        var result = new ObjdumpText();
        Section? current = null;
        foreach (var raw in text.Replace("\r\n", "\n").Split('\n'))
        {
            Match m;
            if ((m = SectionRx.Match(raw)).Success) result.Sections[m.Groups[1].Value] = current = new Section();
            else if (current is null) continue;
            else if ((m = LabelRx.Match(raw)).Success) current.Labels.Add(new Label(Hex(m.Groups[1].Value), m.Groups[2].Value));
            else if ((m = RelocRx.Match(raw)).Success) current.Relocations.Add(new Reloc(Hex(m.Groups[1].Value), m.Groups[2].Value, m.Groups[3].Value));
            else if ((m = CoreRx.Match(raw)).Success)
                current.CoreRelos.Add(new CoreRelo(Hex(m.Groups[1].Value), m.Groups[2].Value,
                    uint.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture), m.Groups[4].Value, m.Groups[5].Value));
            else if ((m = InsnRx.Match(raw)).Success) current.InstructionIndices.Add(int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
        }
        return result;
    }

    private static ulong Hex(string s) => ulong.Parse(s, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
}
