using System;
using System.Collections.Generic;

namespace CSharpBpf.Object.Objects;

/// <summary>A function-pointer member of a struct_ops variable bound to a program.</summary>
public sealed class BpfStructOpsMember
{
    public BpfStructOpsMember(string memberName, ulong byteOffset, string programName)
    {
        MemberName = memberName ?? throw new ArgumentNullException(nameof(memberName));
        ByteOffset = byteOffset;
        ProgramName = programName ?? throw new ArgumentNullException(nameof(programName));
    }

    public string MemberName { get; }
    public ulong ByteOffset { get; }
    public string ProgramName { get; }

    public override string ToString() => $".{MemberName} (@{ByteOffset}) = {ProgramName}";
}

/// <summary>
/// A variable in .struct_ops / .struct_ops.link: an instance of a kernel ops struct (e.g.
/// tcp_congestion_ops) whose function pointers name programs. A loader registers it as a
/// BPF_MAP_TYPE_STRUCT_OPS map.
/// </summary>
public sealed class BpfStructOpsMap
{
    public BpfStructOpsMap(string name, string sectionName, string typeName, uint typeId, ulong sectionOffset,
        byte[] data, IReadOnlyList<BpfStructOpsMember> functionMembers)
    {
        Name = name ?? throw new ArgumentNullException(nameof(name));
        SectionName = sectionName ?? throw new ArgumentNullException(nameof(sectionName));
        TypeName = typeName ?? throw new ArgumentNullException(nameof(typeName));
        TypeId = typeId;
        SectionOffset = sectionOffset;
        Data = data ?? throw new ArgumentNullException(nameof(data));
        FunctionMembers = functionMembers ?? throw new ArgumentNullException(nameof(functionMembers));
    }

    public string Name { get; }
    public string SectionName { get; }
    /// <summary>The ops struct's name in BTF, e.g. "tcp_congestion_ops".</summary>
    public string TypeName { get; }
    /// <summary>The object's BTF id of that struct.</summary>
    public uint TypeId { get; }
    public ulong SectionOffset { get; }
    /// <summary>The variable's bytes (non-pointer members such as .name are initialised here).</summary>
    public byte[] Data { get; }
    public IReadOnlyList<BpfStructOpsMember> FunctionMembers { get; }
    /// <summary>In .struct_ops.link: attached through a BPF link rather than registered directly.</summary>
    public bool IsLink => SectionName == BpfSectionNames.StructOpsLink;
}
