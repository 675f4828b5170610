using System.Collections.Generic;

namespace CSharpBpf.Object.Btf;

/// <summary>enum bpf_core_relo_kind: what a CO-RE relocation asks of the target kernel's BTF.</summary>
public enum BpfCoreReloKind : uint
{
    FieldByteOffset = 0,
    FieldByteSize = 1,
    FieldExists = 2,
    FieldSigned = 3,
    FieldLShiftU64 = 4,
    FieldRShiftU64 = 5,
    TypeIdLocal = 6,
    TypeIdTarget = 7,
    TypeExists = 8,
    TypeSize = 9,
    EnumvalExists = 10,
    EnumvalValue = 11,
    TypeMatches = 12,
}

/// <summary>bpf_func_info: the FUNC type of the function starting at <see cref="InsnOffset"/>.</summary>
public sealed record BtfFuncInfo(uint InsnOffset, uint TypeId);

/// <summary>
/// bpf_line_info: the source position of the instruction at <see cref="InsnOffset"/>; the
/// encoded line_col is Line &lt;&lt; 10 | Column (column 0..1023).
/// </summary>
public sealed record BtfLineInfo(uint InsnOffset, string FileName, string LineText, uint Line, uint Column);

/// <summary>
/// bpf_core_relo: instruction <see cref="InsnOffset"/> accesses local type <see cref="TypeId"/>
/// along <see cref="AccessString"/> ("0:1:2": member/array indices) and needs <see cref="Kind"/> relocated.
/// </summary>
public sealed record BtfCoreRelo(uint InsnOffset, uint TypeId, string AccessString, BpfCoreReloKind Kind);

/// <summary>The records of one program section (e.g. "xdp", "struct_ops/init").</summary>
public sealed class BtfExtSection<T>
{
    public BtfExtSection(string sectionName)
    {
        SectionName = sectionName;
    }

    public BtfExtSection(string sectionName, IEnumerable<T> records) : this(sectionName) => Records.AddRange(records);

    public string SectionName { get; }
    public List<T> Records { get; } = new();
}

/// <summary>
/// The .BTF.ext section: per program section, func_info, line_info and CO-RE relocations.
/// Instruction offsets are kept as stored: in an ELF object they are BYTE offsets from the
/// start of the section (libbpf divides by 8 before handing them to the kernel).
/// </summary>
public sealed class BtfExt
{
    public List<BtfExtSection<BtfFuncInfo>> FuncInfos { get; } = new();
    public List<BtfExtSection<BtfLineInfo>> LineInfos { get; } = new();
    public List<BtfExtSection<BtfCoreRelo>> CoreRelos { get; } = new();

    /// <summary>Record sizes read from the input (written records always use the standard sizes).</summary>
    public uint FuncInfoRecordSize { get; internal set; } = BtfExtFormat.FuncInfoSize;
    public uint LineInfoRecordSize { get; internal set; } = BtfExtFormat.LineInfoSize;
    public uint CoreReloRecordSize { get; internal set; } = BtfExtFormat.CoreReloSize;

    public BtfExtSection<BtfFuncInfo> FuncInfoSection(string name) => GetOrAdd(FuncInfos, name);
    public BtfExtSection<BtfLineInfo> LineInfoSection(string name) => GetOrAdd(LineInfos, name);
    public BtfExtSection<BtfCoreRelo> CoreReloSection(string name) => GetOrAdd(CoreRelos, name);

    private static BtfExtSection<T> GetOrAdd<T>(List<BtfExtSection<T>> sections, string name)
    {
        foreach (var s in sections)
            if (s.SectionName == name) return s;
        var added = new BtfExtSection<T>(name);
        sections.Add(added);
        return added;
    }
}

internal static class BtfExtFormat
{
    public const int HeaderSizeV1 = 24;
    public const int HeaderSizeWithCoreRelo = 32;
    public const uint FuncInfoSize = 8;
    public const uint LineInfoSize = 16;
    public const uint CoreReloSize = 16;
    public const int MaxColumn = 0x3ff;
}
