using System;
using System.Collections.Generic;
using System.Reflection.Emit;

namespace CSharpBpf.Vm.Jit;

/// <summary>A compiled function: (machine, r1..r5, frame pointer) -&gt; r0.</summary>
internal delegate ulong JitFunction(BpfMachine m, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5, ulong fp);

/// <summary>
/// The JIT's output for one program: one DynamicMethod per function entry (slot 0, local-call
/// targets, BPF_PSEUDO_FUNC targets). Each method takes this object as its bound first argument, so
/// IL can reach the program (for callx and tail-call bookkeeping) without embedding object constants.
/// </summary>
internal sealed class JitProgram
{
    private readonly Dictionary<int, JitFunction> _delegates = new();

    public JitProgram(VmProgram program) => Program = program;

    public VmProgram Program { get; }

    internal Dictionary<int, DynamicMethod> Methods { get; } = new();

    public JitFunction Main { get; internal set; } = null!;

    public JitFunction FunctionAt(int entry)
    {
        if (_delegates.TryGetValue(entry, out var f)) return f;
        if (!Methods.TryGetValue(entry, out var method)) throw new InvalidOperationException($"slot {entry} is not a compiled function entry");
        f = (JitFunction)method.CreateDelegate(typeof(JitFunction), this);
        _delegates[entry] = f;
        return f;
    }
}

/// <summary>Out-of-line pieces the generated IL calls.</summary>
internal static class JitRuntime
{
    public static Exception Invalid(JitProgram p, int pc) => BpfMachine.Invalid(p.Program, pc);

    public static Exception Budget(BpfMachine m, int pc) => m.BudgetExhausted(pc);

    /// <summary>A successful tail call: the target runs in this frame, and its r0 is this function's result.</summary>
    public static ulong RunTail(JitProgram caller, BpfMachine m, VmProgram target, ulong r1, ulong fp)
    {
        ulong r0 = target.JitCode.Main(m, r1, 0, 0, 0, 0, fp);
        m.CurrentProgram = caller.Program;
        return r0;
    }

    public static ulong CallIndirect(JitProgram p, BpfMachine m, ulong target, int pc, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        int entry = m.ResolveFunction(p.Program, target, pc);
        ulong fp = m.EnterFrame(pc);
        ulong r0 = p.FunctionAt(entry)(m, r1, r2, r3, r4, r5, fp);
        m.LeaveFrame();
        return r0;
    }
}
