using System.Collections.Generic;
using CSharpBpf.Vm.Contexts;

namespace CSharpBpf.Vm.Host;

/// <summary>What one run of a program left behind: r0, the context (with its outputs), counters and trace lines.</summary>
public sealed class RunResult
{
    internal RunResult(ulong returnValue, ProgramContext? context, long instructions, IReadOnlyList<string> trace, RedirectTarget? redirect)
    {
        ReturnValue = returnValue;
        Context = context;
        InstructionsExecuted = instructions;
        Trace = trace;
        Redirect = redirect;
    }

    /// <summary>r0 at exit.</summary>
    public ulong ReturnValue { get; }

    /// <summary>r0 as the 32-bit value most program types return (XDP action, verdict…).</summary>
    public int Verdict => (int)ReturnValue;

    public ProgramContext? Context { get; }

    public long InstructionsExecuted { get; }

    /// <summary>bpf_trace_printk lines written during this run.</summary>
    public IReadOnlyList<string> Trace { get; }

    /// <summary>Where bpf_redirect/bpf_redirect_map sent the packet, if anywhere.</summary>
    public RedirectTarget? Redirect { get; }

    /// <summary>The packet after the run, for XDP and socket-buffer contexts.</summary>
    public byte[]? Packet => Context switch
    {
        XdpContext x => x.Packet,
        SkbContext s => s.Packet,
        _ => null,
    };
}
