namespace CSharpBpf.Linux.Maps;

/// <summary>Everything BPF_MAP_CREATE takes; the object loader fills it from BTF-defined map attributes.</summary>
public sealed record BpfMapSpec
{
    public string Name { get; init; } = "";
    public BpfMapType Type { get; init; }
    public uint KeySize { get; init; }
    public uint ValueSize { get; init; }
    public uint MaxEntries { get; init; }
    public BpfMapFlags Flags { get; init; }
    public ulong MapExtra { get; init; }
    public uint NumaNode { get; init; }
    public int InnerMapFd { get; init; }
    public int BtfFd { get; init; }
    public uint BtfKeyTypeId { get; init; }
    public uint BtfValueTypeId { get; init; }
    /// <summary>struct_ops: the id of bpf_struct_ops_NAME in the kernel's (or a module's) BTF.</summary>
    public uint BtfVmlinuxValueTypeId { get; init; }
    /// <summary>struct_ops with a module-defined type: fd of that module's BTF object (0 = vmlinux).</summary>
    public int ValueTypeBtfObjFd { get; init; }
}
