using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using CSharpBpf.Compiler.Diagnostics;
using CSharpBpf.Compiler.Frontend.Kernel;
using CSharpBpf.Compiler.Ir;

namespace CSharpBpf.Compiler.Frontend;

/// <summary>
/// Kernel-facing lowering: CO-RE field accesses through kernel types, kfunc calls, and the
/// arguments of BTF-typed programs (struct_ops, fentry/fexit, tp_btf) read from their u64 context.
/// </summary>
internal sealed partial class FunctionLowering
{
    /// <summary>
    /// Gives a field place of a kernel type its CO-RE access: "0:i" when reached through a pointer
    /// (p->f, (*p).f), extended with ":j" for a field of a by-value kernel struct member (p->a.b),
    /// as clang's preserve_access_index does. Stack copies of kernel structs get none.
    /// </summary>
    private MemPlace WithKernelCore(MemPlace place, IFieldReferenceOperation f, MemPlace baseMem)
    {
        if (Types.Map(f.Field.ContainingType) is not StructType { IsKernelType: true } st) return place;
        int index = st.Members.FindIndex(m => m.Name == f.Field.Name && !m.IsBitfield);
        if (index < 0) return place;
        if (baseMem.Core is { } outer)
            place.Core = new CoreAccess(outer.RootType, outer.AccessString + ":" + index);
        else if (f.Instance is not null && IsPointerDereference(f.Instance))
            place.Core = new CoreAccess(st, "0:" + index);
        return place;
    }

    /// <summary>
    /// &amp;p-&gt;f (and &amp;p-&gt;a.b, ref locals, ref arguments) of a kernel field: base + a relocated offset,
    /// as clang emits (mov of the offset with a FIELD_BYTE_OFFSET relocation, then add), so the address
    /// follows the running kernel's layout. Emitted even for offset 0: the field may move.
    /// </summary>
    private VReg KernelFieldAddress(MemPlace m)
    {
        var offset = _b.Function.NewReg(Width.W64);
        _b.Emit(new CoreOffsetInst(offset, m.Offset, m.Core!));
        return _b.Binary(BinOp.Add, m.Base, offset, pointer: true);
    }

    private static bool IsPointerDereference(IOperation op) => op switch
    {
        IParenthesizedOperation p => IsPointerDereference(p.Operand),
        { Kind: OperationKind.None } n => n.ChildOperations.Count == 1 && n.ChildOperations.First().Type is IPointerTypeSymbol,
        _ => false,
    };

    /// <summary>The CO-RE access of a memory place when its instruction can carry it (16-bit offset).</summary>
    private static CoreAccess? CoreOf(MemPlace m) =>
        m.Offset >= short.MinValue && m.Offset <= short.MaxValue ? m.Core : null;

    /// <summary>A call to a [Kfunc] method: call with an extern FUNC (.ksyms) the loader resolves by name.</summary>
    private Operand? InvokeKfunc(IInvocationOperation inv)
    {
        var m = inv.TargetMethod;
        var ret = m.ReturnsVoid ? VoidType.Instance : Types.Map(m.ReturnType) ?? throw Unsupported(m, "kfunc return type");
        var ps = m.Parameters.Select(p => p.RefKind == RefKind.None && Types.Map(p.Type) is { } t
            ? new FuncParam(p.Name, t)
            : throw Unsupported(p, "kfunc parameter type (integers, enums and pointers only)")).ToArray();
        var callee = _module.Module.Kfunc(KfuncCalls.KernelName(m), ret, ps);
        var args = new List<Operand>();
        foreach (var a in inv.Arguments.OrderBy(a => a.Parameter!.Ordinal)) args.Add(Value(a.Value));
        At(inv);
        return Res(_b.Call(callee, args.ToArray()));
    }

    /// <summary>
    /// Programs whose context is the u64 array of the kernel function's arguments (clang's BPF_PROG):
    /// one ctx parameter, and each C# parameter loaded from ctx[i] and narrowed to its type.
    /// </summary>
    private bool TryLowerContextArguments()
    {
        if (_f.Kind != FunctionKind.Program || !KfuncCalls.HasArgumentArrayContext(_f.SectionName)) return false;
        var ctx = _f.AddParam("ctx", new PointerType(IntType.ULong));
        int i = 0;
        foreach (var p in _method.Parameters)
        {
            if (p.RefKind != RefKind.None || Types.Map(p.Type) is null) throw Unsupported(p, "parameter type");
            bool pointer = p.Type is IPointerTypeSymbol;
            var raw = _b.Load(8, ctx.Reg, (short)(8 * i++), width: Width.W64, pointer: pointer);
            var (bits, signed) = IntInfo(p.Type);
            if (bits == 0) throw Unsupported(p, "parameter type");
            VReg value = raw;
            if (!pointer && bits < 64)
                value = signed ? _b.SignExtend(raw, bits, Width.W32) : _b.ZeroExtend(raw, bits, Width.W32);
            else if (!pointer)
            {
                value = _b.Reg(Width.W64);
                _b.Move(value, raw);
            }
            if (_addressTaken.Contains(p))
            {
                var slot = NewSlot(p.Type, p.Name);
                Store(SlotPlace(slot, p.Type), value);
                _locals[p] = new SlotStorage(slot);
            }
            else _locals[p] = new RegStorage(value);
        }
        return true;
    }
}

internal sealed partial class FunctionLowering
{
    private const int SkStorageGetHelper = 107, SkStorageDeleteHelper = 108;

    /// <summary>Calls added by the kernel kinds: kfuncs, [Helper(id)] declarations, sk_storage.</summary>
    private Operand? InvokeKernel(IInvocationOperation inv)
    {
        var m = inv.TargetMethod;
        if (KfuncCalls.IsKfunc(m)) return InvokeKfunc(inv);
        if (KernelCalls.IsSkStorage(m)) return InvokeSkStorage(inv);
        int id = KernelCalls.HelperId(m)!.Value;
        var ret = m.ReturnsVoid ? VoidType.Instance : Types.Map(m.ReturnType) ?? throw Unsupported(m, "helper return type");
        var ps = m.Parameters.Select(p => p.Type is IPointerTypeSymbol ? (IrType)new PointerType(VoidType.Instance) : IntType.ULong).ToArray();
        var helper = _module.Module.Helper(HelperName(m), id, ret, ps);
        var args = new List<Operand>();
        foreach (var a in inv.Arguments.OrderBy(a => a.Parameter!.Ordinal))
            args.Add(a.Parameter!.Type is IPointerTypeSymbol ? Value(a.Value) : Wide(Value(a.Value), a.Parameter.Type));
        At(inv);
        return Res(_b.Call(helper, args.ToArray()));
    }

    private static string HelperName(IMethodSymbol m) => "bpf_" + string.Concat(m.Name.Select((c, i) =>
        char.IsUpper(c) ? (i > 0 ? "_" : "") + char.ToLowerInvariant(c) : c.ToString()));

    /// <summary>SkStorageMap.Get(sk, initial, flags) → bpf_sk_storage_get(map, sk, initial, flags); Delete(sk) → bpf_sk_storage_delete(map, sk).</summary>
    private Operand? InvokeSkStorage(IInvocationOperation inv)
    {
        var map = MapOf(inv);
        var voidPtr = new PointerType(VoidType.Instance);
        var sk = Value(Arg(inv, 0));
        if (inv.TargetMethod.Name == "Delete")
        {
            At(inv);
            var del = _module.Module.Helper("bpf_sk_storage_delete", SkStorageDeleteHelper, IntType.Long, voidPtr, voidPtr);
            return _b.Truncate(_b.Call(del, _b.MapAddr(map), sk)!);
        }
        var initial = Value(Arg(inv, 1));
        var flags = Wide(Value(Arg(inv, 2)), Arg(inv, 2).Type!);
        At(inv);
        var get = _module.Module.Helper("bpf_sk_storage_get", SkStorageGetHelper, voidPtr, voidPtr, voidPtr, voidPtr, IntType.ULong);
        return Res(_b.Call(get, _b.MapAddr(map), sk, initial, flags));
    }
}

internal sealed partial class FunctionLowering
{
    /// <summary>
    /// Reads a bitfield of a generated kernel/UAPI type (its accessor property): loads the aligned unit
    /// libbpf would compute for FIELD_BYTE_OFFSET (the member type's size, widened until the bits fit),
    /// with a CO-RE relocation when reached through a kernel-type pointer, then isolates the bits with a
    /// left and a right shift of the 64-bit value, as clang does.
    /// </summary>
    private Operand ReadKernelBitfield(IPropertyReferenceOperation pr)
    {
        var prop = pr.Property;
        var (bitOffset, bitSize) = KernelTypeLayout.Bitfield(prop)!.Value;
        if (pr.Instance is null || PlaceOf(pr.Instance) is not MemPlace basePlace)
            throw LoweringException.Unsupported(pr, "bitfield of a value that is not in memory");
        var (bits, signed) = IntInfo(prop.Type);
        if (bits == 0) throw LoweringException.Unsupported(pr, "bitfield type");
        int size = bits / 8;
        int byteOff = bitOffset / 8 / size * size;
        while (bitOffset + bitSize - byteOff * 8 > size * 8)
        {
            if (size >= 8) throw LoweringException.Unsupported(pr, "bitfield spanning more than 8 bytes");
            size *= 2;
            byteOff = bitOffset / 8 / size * size;
        }
        var unit = basePlace.WithOffset(byteOff, prop.Type);
        if (Types.Map(prop.ContainingType) is StructType { IsKernelType: true } st)
        {
            int index = st.Members.FindIndex(m => m.Name == prop.Name && m.IsBitfield);
            if (basePlace.Core is { } outer) unit.Core = new CoreAccess(outer.RootType, outer.AccessString + ":" + index);
            else if (IsPointerDereference(pr.Instance)) unit.Core = new CoreAccess(st, "0:" + index);
        }
        var (b, off) = Addressable(unit);
        var raw = _b.Load(size, b, off, width: Width.W64, core: CoreOf(unit));
        int left = 64 - (bitOffset + bitSize - byteOff * 8);
        var shifted = left > 0 ? _b.Binary(BinOp.Shl, raw, left, Width.W64) : raw;
        var value = _b.Binary(signed ? BinOp.AShr : BinOp.LShr, shifted, 64 - bitSize, Width.W64);
        if (WidthOf(prop.Type) == Width.W64) return value;
        var narrow = _b.Reg(Width.W32);
        _b.Move(narrow, value);
        return narrow;
    }
}
