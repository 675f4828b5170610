using System.Linq;
using System.Text;
using CSharpBpf.Object.Btf;
using CSharpBpf.Object.Isa;
using CSharpBpf.Object.Objects;

namespace CSharpBpf.Object.Tests.Fixtures;

/// <summary>
/// A canonical text of everything a <see cref="BpfObjectFile"/> holds (instructions, relocations,
/// maps, data, struct_ops, externs, BTF types, BTF.ext records), so two models compare as strings
/// and a difference shows as a readable line.
/// </summary>
public static class ObjectModelText
{
    public static string Describe(BpfObjectFile obj)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"endian={(obj.IsBigEndian ? "big" : "little")} license={obj.License ?? "<none>"} version={obj.KernelVersion?.ToString("x") ?? "<none>"}");
        foreach (var p in obj.ProgramSections)
        {
            sb.AppendLine($"section {p.Name} insns={p.Instructions.Count}");
            foreach (var f in p.Functions) sb.AppendLine($"  func {f.Name} @{f.InstructionOffset}+{f.InstructionCount} global={f.IsGlobal}");
            for (int i = 0; i < p.Instructions.Count; i++) sb.AppendLine($"  {i}: {p.Instructions[i]}");
            foreach (var r in p.Relocations) sb.AppendLine($"  reloc insn {r.InstructionIndex} {r.ElfType} {r.Kind} {r.SymbolName} -> {r.TargetSectionName}+{r.TargetOffset}");
        }
        foreach (var m in obj.Maps) DescribeMap(sb, m, "");
        foreach (var d in obj.DataSections)
        {
            sb.AppendLine($"data {d.Name} size={d.Size} align={d.Alignment} ro={d.IsReadOnly} bss={d.IsBss} bytes={Hex(d.Data)}");
            foreach (var v in d.Variables) sb.AppendLine($"  var {v.Name} @{v.Offset} size={v.Size} global={v.IsGlobal}");
        }
        foreach (var s in obj.StructOps)
        {
            sb.AppendLine($"struct_ops {s.Name} in {s.SectionName} type={s.TypeName}#{s.TypeId} @{s.SectionOffset} link={s.IsLink}");
            foreach (var m in s.FunctionMembers) sb.AppendLine($"  .{m.MemberName} @{m.ByteOffset} = {m.ProgramName}");
        }
        foreach (var e in obj.Externs) sb.AppendLine($"extern {e.Kind} {e.Name} weak={e.IsWeak} btf={e.BtfTypeId} {e.BtfSection}");
        if (obj.Btf is not null) sb.Append(BtfRawFormatter.Format(obj.Btf));
        if (obj.BtfExt is not null) DescribeExt(sb, obj.BtfExt);
        return sb.ToString();
    }

    private static void DescribeMap(StringBuilder sb, BpfMapDefinition m, string indent)
    {
        sb.AppendLine($"{indent}map {m.Name} sec={m.SectionName}@{m.SectionOffset}+{m.DefinitionSize} type={m.Type} key={m.KeySize}#{m.KeyTypeId} value={m.ValueSize}#{m.ValueTypeId} max={m.MaxEntries} flags={m.Flags} numa={m.NumaNode} pin={m.Pinning} extra={m.MapExtra} var={m.BtfVarId}");
        foreach (var s in m.InitialSlots) sb.AppendLine($"{indent}  slot {s}");
        if (m.InnerMap is not null) DescribeMap(sb, m.InnerMap, indent + "  inner ");
    }

    private static void DescribeExt(StringBuilder sb, BtfExt ext)
    {
        foreach (var s in ext.FuncInfos)
            foreach (var r in s.Records) sb.AppendLine($"func_info {s.SectionName} {r.InsnOffset} {r.TypeId}");
        foreach (var s in ext.LineInfos)
            foreach (var r in s.Records) sb.AppendLine($"line_info {s.SectionName} {r.InsnOffset} {r.FileName}:{r.Line}:{r.Column} {r.LineText}");
        foreach (var s in ext.CoreRelos)
            foreach (var r in s.Records) sb.AppendLine($"core_relo {s.SectionName} {r.InsnOffset} {r.TypeId} {r.AccessString} {r.Kind}");
    }

    private static string Hex(byte[] b) => string.Concat(b.Select(x => x.ToString("x2")));
}
