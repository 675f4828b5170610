using System.Collections.Generic;
using CSharpBpf.Linux.KernelTypes;
using CSharpBpf.Linux.Programs;

namespace CSharpBpf.Linux.Loader;

/// <summary>How <see cref="BpfObject.Load(ObjectSpec, LoadOptions?)"/> treats the running kernel.</summary>
public sealed record LoadOptions
{
    /// <summary>bpffs directory where maps with pinning = by-name are pinned/reused.</summary>
    public string PinRoot { get; init; } = Native.Pinning.DefaultRoot;
    /// <summary>Kernel BTF for CO-RE, kfuncs, struct_ops and attach targets (default: the running kernel's).</summary>
    public KernelBtf? Kernel { get; init; }
    /// <summary>BTF kinds the kernel accepts (default: probed).</summary>
    public BtfFeatures? Features { get; init; }
    /// <summary>freplace programs: program name → the program and global function it replaces.</summary>
    public IReadOnlyDictionary<string, ExtensionTarget> ExtensionTargets { get; init; } = new Dictionary<string, ExtensionTarget>();
    /// <summary>Programs not to load (by name), like libbpf's autoload = false.</summary>
    public IReadOnlyCollection<string> SkipPrograms { get; init; } = System.Array.Empty<string>();
}

/// <summary>The target of a freplace program: a loaded program and the BTF id of the global function to replace in it.</summary>
public sealed record ExtensionTarget(BpfProgram Program, uint FunctionBtfId);
