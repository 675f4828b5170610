using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using CSharpBpf.Compiler.Diagnostics;
using CSharpBpf.Compiler.Ir;

namespace CSharpBpf.Compiler.Frontend;

/// <summary>
/// Lowers one C# method or local function (its IOperation tree) into an <see cref="IrFunction"/>.
/// Scalars live in virtual registers, kept normalised: a value of a type narrower than 32 bits is
/// always held sign- or zero-extended to 32 bits, so C#'s promotions to int are free and only
/// narrowing conversions cost an instruction. Structs, fixed buffers and address-taken locals live in
/// frame slots. Split over partial files: statements, expressions, conversions, calls.
/// </summary>
internal sealed partial class FunctionLowering
{
    private readonly ModuleLowering _module;
    private readonly IMethodSymbol _method;
    private readonly IrFunction _f;
    private readonly FunctionBuilder _b;
    private readonly IOperation _body;
    private readonly Dictionary<ISymbol, LocalStorage> _locals = new(SymbolEqualityComparer.Default);
    private readonly HashSet<ISymbol> _addressTaken;
    private readonly Stack<(BasicBlock Break, BasicBlock? Continue)> _targets = new();
    /// <summary>Maps bound to this specialisation's map parameters (null: the method has none).</summary>
    private readonly MapBindings? _maps;

    public FunctionLowering(ModuleLowering module, IMethodSymbol method, IrFunction function, IOperation body, MapBindings? maps = null)
    {
        _maps = maps;
        _module = module;
        _method = method;
        _f = function;
        _body = body;
        _b = new FunctionBuilder(function);
        _addressTaken = AddressTakenLocals.Find(body);
    }

    private TypeMapper Types => _module.Types;
    private Compilation Compilation => _module.Known.Compilation;

    public void Lower()
    {
        _b.At(ModuleLowering.LocationOf(_method.Locations.FirstOrDefault()));
        if (!TryLowerContextArguments()) // kernelkinds: struct_ops/fentry/... read their arguments from ctx
        foreach (var p in _method.Parameters)
        {
            if (MapBindings.IsMapParameter(p)) continue; // bound at compile time, not passed
            var irType = p.RefKind != RefKind.None
                ? new PointerType(Types.Map(p.Type) ?? throw Unsupported(p, "parameter type"))
                : Types.Map(p.Type) ?? throw Unsupported(p, "parameter type");
            var param = _f.AddParam(p.Name, irType);
            if (p.RefKind != RefKind.None) _locals[p] = new RefStorage(param.Reg);
            else if (_addressTaken.Contains(p))
            {
                var slot = NewSlot(p.Type, p.Name);
                var place = SlotPlace(slot, p.Type);
                Store(place, param.Reg);
                _locals[p] = new SlotStorage(slot);
            }
            else _locals[p] = new RegStorage(param.Reg);
        }

        var block = _body switch
        {
            IMethodBodyOperation mb => (IOperation?)mb.BlockBody ?? mb.ExpressionBody,
            _ => _body,
        };
        if (block is null) throw LoweringException.Unsupported(_body, "method without a body");
        LowerStatement(block);
        if (!_b.IsTerminated)
        {
            if (_method.ReturnsVoid) _b.Return();
            else _b.Return(0); // unreachable in valid C#: every path of a non-void method returns
        }
    }

    private LoweringException Unsupported(ISymbol s, string what) =>
        new(BpfDiagnostics.UnsupportedType, s.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(), s.ToDisplayString(), "the " + what + " has no BPF representation", "use integers, bool, enums, pointers, or unmanaged structs by pointer");

    private void At(IOperation op) => _b.At(ModuleLowering.LocationOf(op.Syntax.GetLocation()));

    /// <summary>Starts a fresh (unreachable) block after break/continue/return so later code has somewhere to go.</summary>
    private void StartDeadBlock() => _b.SetBlock(_b.NewBlock("dead"));

    private void JumpTo(BasicBlock target)
    {
        if (!_b.IsTerminated) _b.Jump(target);
    }

    // ---- storage ----

    private FrameSlot NewSlot(ITypeSymbol type, string? name)
    {
        int size = Types.SizeOf(type);
        if (size <= 0) throw new LoweringException(BpfDiagnostics.UnsupportedType, null, UnsupportedTypes.Args(type));
        var ir = Types.Map(type)!;
        return _f.NewSlot(size, System.Math.Min(8, System.Math.Max(1, ir.Align)), name);
    }

    private MemPlace SlotPlace(FrameSlot slot, ITypeSymbol type) => new(_b.FrameAddr(slot), 0, type);

    private LocalStorage DeclareLocal(ILocalSymbol local)
    {
        LocalStorage storage;
        if (local.IsRef) storage = new RefStorage(_b.Ptr(local.Name));
        else if (NeedsMemory(local.Type) || _addressTaken.Contains(local)) storage = new SlotStorage(NewSlot(local.Type, local.Name));
        else storage = new RegStorage(NewRegFor(local.Type, local.Name));
        _locals[local] = storage;
        return storage;
    }

    private static bool NeedsMemory(ITypeSymbol t) => t.TypeKind == TypeKind.Struct && TypeMapper.Primitive(t) is null;

    private VReg NewRegFor(ITypeSymbol type, string? name = null)
    {
        if (type is IPointerTypeSymbol) return _f.NewPtr(name);
        return _f.NewReg(WidthOf(type), name);
    }

    internal static Width WidthOf(ITypeSymbol type)
    {
        if (type is IPointerTypeSymbol) return Width.W64;
        var t = type.TypeKind == TypeKind.Enum ? ((INamedTypeSymbol)type).EnumUnderlyingType! : type;
        return t.SpecialType is SpecialType.System_Int64 or SpecialType.System_UInt64 or SpecialType.System_IntPtr or SpecialType.System_UIntPtr
            ? Width.W64 : Width.W32;
    }

    /// <summary>(bits, signed) of an integer-like type; pointers are 64-bit unsigned.</summary>
    internal static (int Bits, bool Signed) IntInfo(ITypeSymbol type)
    {
        if (type is IPointerTypeSymbol) return (64, false);
        var t = type.TypeKind == TypeKind.Enum ? ((INamedTypeSymbol)type).EnumUnderlyingType! : type;
        return t.SpecialType switch
        {
            SpecialType.System_Boolean => (8, false),
            SpecialType.System_SByte => (8, true),
            SpecialType.System_Byte => (8, false),
            SpecialType.System_Int16 => (16, true),
            SpecialType.System_UInt16 or SpecialType.System_Char => (16, false),
            SpecialType.System_Int32 => (32, true),
            SpecialType.System_UInt32 => (32, false),
            SpecialType.System_Int64 or SpecialType.System_IntPtr => (64, true),
            SpecialType.System_UInt64 or SpecialType.System_UIntPtr => (64, false),
            _ => (0, false),
        };
    }

    // ---- loads and stores ----

    private Operand Read(Place place)
    {
        switch (place)
        {
            case RegPlace r: return r.Reg;
            case MemPlace m:
                var (bits, signed) = IntInfo(m.Type);
                if (bits == 0) throw new LoweringException(BpfDiagnostics.UnsupportedType, null, UnsupportedTypes.Args(m.Type));
                var (b, off) = Addressable(m);
                return _b.Load(bits / 8, b, off, signExtend: signed && bits < 32, width: WidthOf(m.Type), pointer: m.Type is IPointerTypeSymbol, core: CoreOf(m));
            default: throw new System.InvalidOperationException("unknown place");
        }
    }

    private void Write(Place place, Operand value)
    {
        switch (place)
        {
            case RegPlace r: _b.Move(r.Reg, value); break;
            case MemPlace m: Store(m, value); break;
        }
    }

    private void Store(MemPlace m, Operand value)
    {
        var (bits, _) = IntInfo(m.Type);
        if (bits == 0) throw new LoweringException(BpfDiagnostics.UnsupportedType, null, UnsupportedTypes.Args(m.Type));
        var (b, off) = Addressable(m);
        _b.Store(bits / 8, b, off, value, CoreOf(m));
    }

    /// <summary>Base and 16-bit offset for a memory place (larger offsets are added to the base).</summary>
    private (VReg Base, short Offset) Addressable(MemPlace m)
    {
        if (m.Offset >= short.MinValue && m.Offset <= short.MaxValue) return (m.Base, (short)m.Offset);
        return (_b.Binary(BinOp.Add, m.Base, m.Offset, pointer: true), 0);
    }

    /// <summary>The address of a memory place as a pointer register.</summary>
    private VReg AddressOf(MemPlace m)
    {
        if (m.Core is not null) return KernelFieldAddress(m);
        return m.Offset == 0 ? m.Base : _b.Binary(BinOp.Add, m.Base, m.Offset, pointer: true);
    }

    /// <summary>Copies a struct (or any bytes) between memory places, widest accesses first.</summary>
    private void CopyBytes(MemPlace dst, MemPlace src, int size)
    {
        int off = 0;
        foreach (int chunk in new[] { 8, 4, 2, 1 })
            while (size - off >= chunk)
            {
                var (sb, so) = Addressable(src.WithOffset(off, src.Type));
                var (db, d0) = Addressable(dst.WithOffset(off, dst.Type));
                var v = _b.Load(chunk, sb, so, width: chunk == 8 ? Width.W64 : Width.W32);
                _b.Store(chunk, db, d0, v);
                off += chunk;
            }
    }

    private void ZeroBytes(MemPlace dst, int size)
    {
        int off = 0;
        foreach (int chunk in new[] { 8, 4, 2, 1 })
            while (size - off >= chunk)
            {
                var (db, d0) = Addressable(dst.WithOffset(off, dst.Type));
                _b.Store(chunk, db, d0, 0);
                off += chunk;
            }
    }
}
