using System;
using CSharpBpf.Linux.KernelTypes;
using CSharpBpf.Linux.Links;
using CSharpBpf.Linux.Loader;
using CSharpBpf.Linux.Programs;

namespace CSharpBpf.Linux.Skeleton;

/// <summary>
/// One program of an object loaded into the kernel, as the generated skeleton's kernel <c>Programs.&lt;Method&gt;</c>
/// hands it out: the subclass matches the program kind, so <c>Attach</c> takes what that kind attaches to and
/// returns what undoes it. struct_ops members have no attach of their own (the skeleton's <c>Register()</c>).
/// </summary>
public class KernelProgramHandle
{
    public KernelProgramHandle(BpfObject obj, string name)
    {
        Object = obj ?? throw new ArgumentNullException(nameof(obj));
        Name = name ?? throw new ArgumentNullException(nameof(name));
    }

    /// <summary>The loaded object this program belongs to.</summary>
    public BpfObject Object { get; }

    public string Name { get; }

    /// <summary>The loaded program (fd, id, section).</summary>
    public BpfProgram Program => Object.Program(Name);

    /// <summary>BPF_PROG_TEST_RUN (kinds the kernel can test-run: XDP, socket buffers, raw_tp…).</summary>
    public TestRunResult TestRun(byte[]? data = null, byte[]? context = null, uint repeat = 1) => Program.TestRun(data, context, repeat);

    public static implicit operator BpfProgram(KernelProgramHandle handle) => handle.Program;

    public override string ToString() => $"{Name} (kernel)";
}

/// <summary>A program attached to a cgroup v2 directory (cgroup_skb, sock_ops, sysctl, get/setsockopt).</summary>
public sealed class KernelCgroupProgram : KernelProgramHandle
{
    public KernelCgroupProgram(BpfObject obj, string name) : base(obj, name) { }

    /// <summary>BPF_PROG_ATTACH to the cgroup at the hook its section names; Dispose detaches.</summary>
    public IDisposable Attach(string cgroupPath, CgroupAttachFlags flags = CgroupAttachFlags.AllowMulti) =>
        AutoAttach.Attach(Program, cgroupPath ?? throw new ArgumentNullException(nameof(cgroupPath)), flags);
}

/// <summary>An XDP program, attached to a network interface through a link.</summary>
public sealed class KernelXdpProgram : KernelProgramHandle
{
    public KernelXdpProgram(BpfObject obj, string name) : base(obj, name) { }

    public BpfLink Attach(int ifindex, uint xdpFlags = 0) => Links.Attach.Xdp(Program, ifindex, xdpFlags);

    public BpfLink Attach(string interfaceName, uint xdpFlags = 0) => Links.Attach.Xdp(Program, interfaceName, xdpFlags);
}

/// <summary>A raw_tp, tp_btf, fentry or fexit program: its target is in its section, so Attach needs nothing.</summary>
public sealed class KernelTracingProgram : KernelProgramHandle
{
    public KernelTracingProgram(BpfObject obj, string name) : base(obj, name) { }

    public BpfLink Attach()
    {
        var p = Program;
        return p.Type is BpfProgramType.RawTracepoint or BpfProgramType.RawTracepointWritable
            ? Links.Attach.RawTracepoint(p, p.AttachTo ?? throw new InvalidOperationException($"raw_tp program '{Name}' names no tracepoint"))
            : Links.Attach.Tracing(p);
    }
}

/// <summary>
/// An extension (freplace) of a global function of another loaded program. The kernel verifies an extension
/// against its target, so the object must be loaded with the target (the skeleton's <c>LoadKernel(target)</c>).
/// </summary>
public sealed class KernelExtensionProgram : KernelProgramHandle
{
    public KernelExtensionProgram(BpfObject obj, string name, string replacedFunction) : base(obj, name) => ReplacedFunction = replacedFunction;

    /// <summary>The global function this extension replaces (the section's "freplace/&lt;function&gt;").</summary>
    public string ReplacedFunction { get; }

    /// <summary>The load option that aims this extension at <paramref name="target"/>'s <see cref="ReplacedFunction"/>.</summary>
    public static ExtensionTarget TargetIn(BpfProgram target, string replacedFunction) => ProgramBtf.ExtensionTarget(target, replacedFunction);

    /// <summary>BPF_LINK_CREATE replacing the function in <paramref name="target"/> (the program it was loaded against).</summary>
    public BpfLink Attach(BpfProgram target) =>
        Links.Attach.Freplace(Program, target, ProgramBtf.ExtensionTarget(target, ReplacedFunction).FunctionBtfId);
}
