using System;
using CSharpBpf.Vm.Contexts;
using CSharpBpf.Vm.Kernel;

namespace CSharpBpf.Vm.Host;

/// <summary>
/// One program of an object loaded into a <see cref="BpfTestHost"/>, as the generated skeleton's
/// <c>Programs.&lt;Method&gt;</c> hands it out: the subclass matches the program kind, so <c>Run</c> takes the
/// context that kind is called with. The program is looked up by name on every use, so after
/// <see cref="VmObject.ReplaceFunction"/> the handle runs the replaced code.
/// </summary>
public class VmProgramHandle
{
    public VmProgramHandle(BpfTestHost host, VmObject obj, string name)
    {
        Host = host ?? throw new ArgumentNullException(nameof(host));
        Object = obj ?? throw new ArgumentNullException(nameof(obj));
        Name = name ?? throw new ArgumentNullException(nameof(name));
    }

    public BpfTestHost Host { get; }

    /// <summary>The loaded object this program belongs to.</summary>
    public VmObject Object { get; }

    /// <summary>The function name (ELF symbol) of the program.</summary>
    public string Name { get; }

    /// <summary>The program as the object holds it now; a program the VM could not link throws its load error here.</summary>
    public VmProgram Program => Object.Program(Name);

    /// <summary>Runs with a context built by hand (any kind).</summary>
    public RunResult Run(ProgramContext context) => Host.Run(Program, context);

    public static implicit operator VmProgram(VmProgramHandle handle) => handle.Program;

    public override string ToString() => $"{Name} (VM)";
}

/// <summary>An XDP program: runs on a packet arriving at an interface.</summary>
public sealed class VmXdpProgram : VmProgramHandle
{
    public VmXdpProgram(BpfTestHost host, VmObject obj, string name) : base(host, obj, name) { }

    public RunResult Run(byte[] packet, uint ingressIfindex = 1) => Host.RunXdp(Program, packet, ingressIfindex);
}

/// <summary>A program on a socket buffer (cgroup_skb, socket filter, tc): runs on a packet, optionally of a socket.</summary>
public sealed class VmSkbProgram : VmProgramHandle
{
    public VmSkbProgram(BpfTestHost host, VmObject obj, string name) : base(host, obj, name) { }

    public RunResult Run(byte[] packet, SimulatedSocket? socket = null) => Host.RunSkb(Program, packet, socket);
}

/// <summary>A sock_ops program: runs for one TCP event (op) of a socket.</summary>
public sealed class VmSockOpsProgram : VmProgramHandle
{
    public VmSockOpsProgram(BpfTestHost host, VmObject obj, string name) : base(host, obj, name) { }

    public RunResult Run(SimulatedSocket socket, uint op, params uint[] args) => Host.RunSockOps(Program, socket, op, args);
}

/// <summary>A cgroup/sysctl program: runs for a read (no new value) or a write of a sysctl.</summary>
public sealed class VmSysctlProgram : VmProgramHandle
{
    public VmSysctlProgram(BpfTestHost host, VmObject obj, string name) : base(host, obj, name) { }

    public RunResult Run(string sysctlName, string currentValue, string? newValue = null) => Host.RunSysctl(Program, sysctlName, currentValue, newValue);
}

/// <summary>A cgroup get/setsockopt program: runs on a <see cref="SockoptContext"/> (which holds the option value afterwards).</summary>
public sealed class VmSockoptProgram : VmProgramHandle
{
    public VmSockoptProgram(BpfTestHost host, VmObject obj, string name) : base(host, obj, name) { }

    public RunResult Run(SockoptContext context) => Host.Run(Program, context);
}

/// <summary>A program called with u64 arguments (struct_ops member, raw_tp, tp_btf, fentry/fexit); pointers are simulated addresses.</summary>
public sealed class VmArgsProgram : VmProgramHandle
{
    public VmArgsProgram(BpfTestHost host, VmObject obj, string name) : base(host, obj, name) { }

    public RunResult Run(params ulong[] args) => Host.RunWithArgs(Program, args);
}

/// <summary>An extension (freplace) of a global function; <see cref="ReplaceIn"/> does what attaching it does in the kernel.</summary>
public sealed class VmExtensionProgram : VmProgramHandle
{
    public VmExtensionProgram(BpfTestHost host, VmObject obj, string name, string replacedFunction) : base(host, obj, name)
        => ReplacedFunction = replacedFunction;

    /// <summary>The global function this extension replaces (the section's "freplace/&lt;function&gt;").</summary>
    public string ReplacedFunction { get; }

    /// <summary>
    /// Sends <paramref name="target"/>'s calls of <see cref="ReplacedFunction"/> to this extension
    /// (<see cref="VmObject.ReplaceFunction"/>); both must be loaded into the same host. Returns the relinked program.
    /// </summary>
    public VmProgram ReplaceIn(VmProgramHandle target)
    {
        if (target is null) throw new ArgumentNullException(nameof(target));
        if (!ReferenceEquals(target.Host, Host))
            throw new ArgumentException($"extension '{Name}' and program '{target.Name}' were loaded into different hosts: load both into one (LoadVm(host))", nameof(target));
        return target.Object.ReplaceFunction(target.Name, ReplacedFunction, Program);
    }
}
