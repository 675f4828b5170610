using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using CSharpBpf.Compiler.Diagnostics;
using CSharpBpf.Compiler.Ir;

namespace CSharpBpf.Compiler.Frontend;

internal sealed partial class FunctionLowering
{
    /// <summary>Lowers a call; returns its value (null for void).</summary>
    private Operand? Invoke(IInvocationOperation inv)
    {
        var m = inv.TargetMethod;
        if (Kernel.KernelCalls.IsKernelCall(m)) return InvokeKernel(inv);
        if (InterlockedCalls.IsInterlocked(m)) return InvokeInterlocked(inv);
        if (ByteOrderCalls.IsReverseEndianness(m)) return ByteSwap(inv);
        if (KnownSymbols.IsInApiNamespace(m.ContainingType)) return InvokeApi(inv);
        MapBindings? maps = null;
        foreach (var a in inv.Arguments.Where(a => MapBindings.IsMapParameter(a.Parameter!)))
            (maps ??= new MapBindings()).Bind(a.Parameter!, MapOf(a.Value, a.Syntax));
        var callee = _module.FunctionFor(m, maps);
        var args = new List<Operand>();
        foreach (var a in inv.Arguments.OrderBy(a => a.Parameter!.Ordinal))
        {
            if (MapBindings.IsMapParameter(a.Parameter!)) continue;
            if (a.Parameter!.RefKind != RefKind.None) args.Add(AddressOfPlace(a.Value));
            else args.Add(Value(a.Value));
        }
        At(inv);
        return Res(_b.Call(callee, args.ToArray()));
    }

    private static Operand? Res(VReg? r) => r is null ? (Operand?)null : Operand.Of(r);

    private IOperation Arg(IInvocationOperation inv, int ordinal) =>
        inv.Arguments.First(a => a.Parameter!.Ordinal == ordinal).Value;

    private Operand? InvokeApi(IInvocationOperation inv)
    {
        var m = inv.TargetMethod;
        var module = _module.Module;
        if (m.ContainingType.Name == "Bpf") return InvokeHelper(inv);

        if (m.IsStatic) // RingBuf.Submit / Discard
        {
            var id = m.Name == "Submit" ? BpfApiCalls.RingbufSubmit : BpfApiCalls.RingbufDiscard;
            var data = Value(Arg(inv, 0));
            var flags = Wide(Value(Arg(inv, 1)), Arg(inv, 1).Type!);
            At(inv);
            _b.Call(BpfApiCalls.Helper(module, id), data, flags);
            return null;
        }

        var map = MapOf(inv);
        var mapType = map.Type;
        switch (m.Name)
        {
            case "Lookup":
            {
                var key = SpillToStack(Arg(inv, 0));
                At(inv);
                return Res(_b.Call(BpfApiCalls.Helper(module, BpfApiCalls.MapLookupElem), _b.MapAddr(map), key));
            }
            case "Update":
            {
                var key = SpillToStack(Arg(inv, 0));
                var value = SpillToStack(Arg(inv, 1));
                var flags = Wide(Value(Arg(inv, 2)), Arg(inv, 2).Type!);
                At(inv);
                return Res(_b.Call(BpfApiCalls.Helper(module, BpfApiCalls.MapUpdateElem), _b.MapAddr(map), key, value, flags));
            }
            case "Delete":
            {
                var key = SpillToStack(Arg(inv, 0));
                At(inv);
                return Res(_b.Call(BpfApiCalls.Helper(module, BpfApiCalls.MapDeleteElem), _b.MapAddr(map), key));
            }
            case "Redirect":
            {
                var key = Value(Arg(inv, 0));
                var flags = Wide(Value(Arg(inv, 1)), Arg(inv, 1).Type!);
                At(inv);
                var r = _b.Call(BpfApiCalls.Helper(module, BpfApiCalls.RedirectMap), _b.MapAddr(map), key, flags)!;
                return _b.Truncate(r); // XdpAction is an int
            }
            case "TailCall":
            {
                var ctx = Value(Arg(inv, 0));
                var index = Value(Arg(inv, 1));
                At(inv);
                _b.Call(BpfApiCalls.Helper(module, BpfApiCalls.TailCall), ctx, _b.MapAddr(map), index);
                return null;
            }
            case "Output":
            {
                var dataOp = Arg(inv, 0);
                var data = SpillToStack(dataOp);
                var flags = Wide(Value(Arg(inv, 1)), Arg(inv, 1).Type!);
                At(inv);
                return Res(_b.Call(BpfApiCalls.Helper(module, BpfApiCalls.RingbufOutput), _b.MapAddr(map), data, (long)Types.SizeOf(dataOp.Type!), flags));
            }
            case "Reserve":
            {
                var size = Types.SizeOf(m.TypeArguments[0]);
                var flags = Wide(Value(Arg(inv, 0)), Arg(inv, 0).Type!);
                At(inv);
                return Res(_b.Call(BpfApiCalls.Helper(module, BpfApiCalls.RingbufReserve), _b.MapAddr(map), (long)size, flags));
            }
        }
        throw new LoweringException(BpfDiagnostics.UnsupportedCall, inv.Syntax, m.ToDisplayString());
    }

    private Operand? InvokeHelper(IInvocationOperation inv)
    {
        var module = _module.Module;
        var m = inv.TargetMethod;
        switch (m.Name)
        {
            case "KtimeGetNs":
                At(inv);
                return Res(_b.Call(BpfApiCalls.Helper(module, BpfApiCalls.KtimeGetNs)));
            case "GetPrandomU32":
                At(inv);
                return Res(_b.Call(BpfApiCalls.Helper(module, BpfApiCalls.GetPrandomU32)));
            case "GetCurrentPidTgid":
                At(inv);
                return Res(_b.Call(BpfApiCalls.Helper(module, BpfApiCalls.GetCurrentPidTgid)));
            case "Htons":
            case "Ntohs":
            case "Htonl":
            case "Ntohl":
                return ByteSwap(inv);
            case "GetSocketCookie":
            {
                var ctx = Value(Arg(inv, 0));
                At(inv);
                return Res(_b.Call(BpfApiCalls.Helper(module, BpfApiCalls.GetSocketCookie), ctx));
            }
            case "SkFullsock":
            {
                var sk = Value(Arg(inv, 0));
                At(inv);
                return Res(_b.Call(BpfApiCalls.Helper(module, BpfApiCalls.SkFullsock), sk));
            }
            case "ProbeReadKernel":
            {
                var dst = Value(Arg(inv, 0));
                var size = Value(Arg(inv, 1));
                var src = Value(Arg(inv, 2));
                At(inv);
                return Res(_b.Call(BpfApiCalls.Helper(module, BpfApiCalls.ProbeReadKernel), dst, size, src));
            }
            case "TracePrintk":
            {
                var fmtOp = Arg(inv, 0);
                if (fmtOp.ConstantValue.Value is not string fmt) throw new LoweringException(BpfDiagnostics.TracePrintkFormat, fmtOp.Syntax);
                var g = _module.StringConstant(fmt);
                var args = new List<Operand> { _b.GlobalAddr(g), (long)(System.Text.Encoding.UTF8.GetByteCount(fmt) + 1) };
                for (int i = 1; i < m.Parameters.Length; i++) args.Add(Value(Arg(inv, i)));
                while (args.Count < 5) args.Add(0L); // one helper declaration per module: unused varargs are 0
                At(inv);
                return Res(_b.Call(BpfApiCalls.Helper(module, BpfApiCalls.TracePrintk), args.ToArray()));
            }
        }
        throw new LoweringException(BpfDiagnostics.UnsupportedCall, inv.Syntax, m.ToDisplayString());
    }

    private MapDefinition MapOf(IInvocationOperation inv) => MapOf(inv.Instance, inv.Syntax);

    /// <summary>The map an expression denotes: a [Map] field, or a map parameter of this specialisation.</summary>
    private MapDefinition MapOf(IOperation? inst, SyntaxNode at)
    {
        while (inst is IParenthesizedOperation or IConversionOperation { Conversion.IsIdentity: true })
            inst = inst is IParenthesizedOperation p ? p.Operand : ((IConversionOperation)inst).Operand;
        if (inst is IFieldReferenceOperation { Field: var f } && _module.Maps.TryGetValue(f, out var map)) return map;
        if (inst is IParameterReferenceOperation { Parameter: var prm } && _maps is not null && _maps.TryGet(prm, out var bound)) return bound;
        throw new LoweringException(BpfDiagnostics.MapShape, inst?.Syntax ?? at, inst?.Syntax.ToString() ?? "?",
            "is used as a map but is neither a [Map] static field of this class nor a map parameter bound to one");
    }

    /// <summary>A 64-bit operand (helper flags and sizes are u64).</summary>
    private Operand Wide(Operand v, ITypeSymbol type) =>
        v.IsImm || v.Reg!.Width == Width.W64 ? v : ConvertValue(v, type, Compilation.GetSpecialType(SpecialType.System_UInt64));

    /// <summary>The address of a by-value key/value argument: a struct already in memory is used in place,
    /// anything else is stored to a fresh stack slot (helpers take pointers to stack or map memory).</summary>
    private VReg SpillToStack(IOperation arg)
    {
        var op = arg;
        while (op is IConversionOperation c && c.Conversion.IsIdentity) op = c.Operand;
        var type = arg.Type!;
        if (NeedsMemory(type) && PlaceOf(op) is MemPlace m) return AddressOf(m);
        var slot = NewSlot(type, "tmp");
        var place = SlotPlace(slot, type);
        Store(place, Value(arg));
        return place.Base;
    }
}
