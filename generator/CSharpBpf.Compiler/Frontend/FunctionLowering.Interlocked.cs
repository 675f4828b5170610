using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using CSharpBpf.Compiler.Diagnostics;
using CSharpBpf.Compiler.Ir;

namespace CSharpBpf.Compiler.Frontend;

/// <summary>
/// System.Threading.Interlocked on memory (map values, globals, stack) lowered to one BPF_ATOMIC
/// instruction. The fetch form is always emitted with a destination; when the C# result is unused,
/// dead-code elimination drops the destination and turns it into the plain (non-fetching) form,
/// which is what clang emits for __sync_fetch_and_add whose result is ignored.
/// </summary>
internal sealed partial class FunctionLowering
{
    private Operand? InvokeInterlocked(IInvocationOperation inv)
    {
        var m = inv.TargetMethod;
        var target = Arg(inv, 0);
        if (InterlockedCalls.Refusal(m) is { } why)
            throw new LoweringException(BpfDiagnostics.UnsupportedAtomic, inv.Syntax, inv.Syntax.ToString(), why);
        var place = PlaceOf(target);
        if (place is not MemPlace mem)
            throw new LoweringException(BpfDiagnostics.UnsupportedAtomic, inv.Syntax, inv.Syntax.ToString(), "its target is not in memory");
        if (mem.Core is not null)
            throw new LoweringException(BpfDiagnostics.UnsupportedAtomic, inv.Syntax, inv.Syntax.ToString(), "its target is a field of a kernel type (BPF atomics on kernel memory are refused by the verifier)");

        var type = m.Parameters[0].Type;
        int size = InterlockedCalls.SizeOf(type);
        var w = size == 8 ? Width.W64 : Width.W32;
        var (b, off) = Addressable(mem);
        var old = _b.Reg(w);
        switch (m.Name)
        {
            case "Increment":
            case "Decrement":
            {
                long delta = m.Name == "Increment" ? 1 : -1;
                At(inv);
                _b.Atomic(AtomicRmwOp.FetchAdd, size, b, off, _b.Const(w, delta), old);
                return _b.Binary(BinOp.Add, old, delta, w);
            }
            case "Add":
            {
                var v = InReg(Value(Arg(inv, 1)), w);
                At(inv);
                _b.Atomic(AtomicRmwOp.FetchAdd, size, b, off, v, old);
                return _b.Binary(BinOp.Add, old, v, w); // Interlocked.Add returns the new value
            }
            case "And":
            case "Or":
            {
                var v = InReg(Value(Arg(inv, 1)), w);
                At(inv);
                _b.Atomic(m.Name == "And" ? AtomicRmwOp.FetchAnd : AtomicRmwOp.FetchOr, size, b, off, v, old);
                return old; // And/Or return the original value
            }
            case "Exchange":
            {
                var v = InReg(Value(Arg(inv, 1)), w);
                At(inv);
                _b.Atomic(AtomicRmwOp.Xchg, size, b, off, v, old);
                return old;
            }
            case "CompareExchange":
            {
                var v = InReg(Value(Arg(inv, 1)), w);
                var expected = Value(Arg(inv, 2));
                At(inv);
                _b.Atomic(AtomicRmwOp.CmpXchg, size, b, off, v, old, expected);
                return old;
            }
        }
        throw new LoweringException(BpfDiagnostics.UnsupportedAtomic, inv.Syntax, inv.Syntax.ToString(), "it has no BPF atomic instruction");
    }

    /// <summary>An operand as a register of width <paramref name="w"/> (atomics take their source in a register).</summary>
    private VReg InReg(Operand v, Width w)
    {
        if (v.IsImm) return _b.Const(w, v.Imm);
        if (v.Reg!.Width == w) return v.Reg;
        var r = _b.Reg(w);
        _b.Move(r, v);
        return r;
    }
}

/// <summary>Which System.Threading.Interlocked members have a BPF_ATOMIC lowering.</summary>
public static class InterlockedCalls
{
    public static bool IsInterlocked(IMethodSymbol m) =>
        m.ContainingType?.ToDisplayString() == "System.Threading.Interlocked";

    /// <summary>Why this Interlocked overload cannot be lowered, or null when it can.</summary>
    public static string? Refusal(IMethodSymbol m)
    {
        if (m.Name is not ("Add" or "Increment" or "Decrement" or "Exchange" or "CompareExchange" or "And" or "Or"))
            return $"Interlocked.{m.Name} has no BPF atomic instruction";
        if (m.Parameters.Length == 0 || m.Parameters[0].RefKind != RefKind.Ref) return "it does not take its target by ref";
        var t = m.Parameters[0].Type;
        if (SizeOf(t) == 0)
            return $"BPF atomics work on 4- and 8-byte integers, not {t.ToDisplayString()}";
        return null;
    }

    internal static int SizeOf(ITypeSymbol t) => t.SpecialType switch
    {
        SpecialType.System_Int32 or SpecialType.System_UInt32 => 4,
        SpecialType.System_Int64 or SpecialType.System_UInt64 => 8,
        _ => 0,
    };
}
