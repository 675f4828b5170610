using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using CSharpBpf.Compiler.Ir;

namespace CSharpBpf.Compiler.Frontend;

/// <summary>
/// Maps C# types to IR types (for BTF and layout), one IR type per C# type per module (the BTF
/// emitter deduplicates by identity). Struct layout follows the CLR's for unmanaged structs:
/// sequential with natural alignment (or Pack), or [StructLayout(Explicit)] with [FieldOffset];
/// fixed-size buffers become arrays. Unsupported types return null (the caller reports BPF0012).
/// </summary>
public sealed class TypeMapper
{
    private readonly Dictionary<ITypeSymbol, IrType> _cache = new(SymbolEqualityComparer.Default);

    public IrType? Map(ITypeSymbol type)
    {
        if (_cache.TryGetValue(type, out var cached)) return cached;
        IrType? result = type switch
        {
            _ when type.SpecialType == SpecialType.System_Void => VoidType.Instance, // System.Void is a struct to Roslyn
            IPointerTypeSymbol p => p.PointedAtType.SpecialType == SpecialType.System_Void
                ? new PointerType(VoidType.Instance)
                : Map(p.PointedAtType) is { } pointee ? new PointerType(pointee) : null,
            INamedTypeSymbol { TypeKind: TypeKind.Enum } e => MapEnum(e),
            IFunctionPointerTypeSymbol fp => Kernel.KernelTypeLayout.FunctionPointer(this, fp),
            INamedTypeSymbol { TypeKind: TypeKind.Struct } s when Primitive(s) is { } prim => prim,
            INamedTypeSymbol { TypeKind: TypeKind.Struct, IsUnmanagedType: true } s => MapStruct(s),
            _ when type.SpecialType == SpecialType.System_Void => VoidType.Instance,
            _ => null,
        };
        if (result is not null) _cache[type] = result;
        return result;
    }

    /// <summary>Size in bytes of a C# type as laid out in memory, or -1 when unsupported.</summary>
    public int SizeOf(ITypeSymbol type) => Map(type)?.Size ?? -1;

    /// <summary>Byte offset of a field inside its struct.</summary>
    public int OffsetOf(IFieldSymbol field)
    {
        if (Map(field.ContainingType) is StructType st && st.Member(field.Name) is { } m) return m.ByteOffset;
        throw new InvalidOperationException($"field {field.Name} has no layout");
    }

    public static IrType? Primitive(ITypeSymbol t) => t.SpecialType switch
    {
        SpecialType.System_Boolean => BoolType.Instance,
        SpecialType.System_SByte => IntType.SByte,
        SpecialType.System_Byte => IntType.Byte,
        SpecialType.System_Int16 => IntType.Short,
        SpecialType.System_UInt16 => IntType.UShort,
        SpecialType.System_Char => IntType.UShort,
        SpecialType.System_Int32 => IntType.Int,
        SpecialType.System_UInt32 => IntType.UInt,
        SpecialType.System_Int64 => IntType.Long,
        SpecialType.System_UInt64 => IntType.ULong,
        SpecialType.System_IntPtr => IntType.Long,
        SpecialType.System_UIntPtr => IntType.ULong,
        _ => null,
    };

    private IrType? MapEnum(INamedTypeSymbol e)
    {
        var underlying = e.EnumUnderlyingType;
        if (underlying is null || Primitive(underlying) is not IntType it) return null;
        var members = e.GetMembers().OfType<IFieldSymbol>()
            .Where(f => f.HasConstantValue)
            .Select(f => new KeyValuePair<string, long>(f.Name, Convert.ToInt64(f.ConstantValue is ulong u ? unchecked((long)u) : f.ConstantValue)))
            .ToList();
        return new EnumType(e.Name, it.ByteSize, it.Signed, members);
    }

    private IrType? MapStruct(INamedTypeSymbol s)
    {
        if (FunctionLowering.InlineArrayInfo(s) is { } inline)
        {
            // [InlineArray(N)]: the runtime repeats the single field N times
            if (Map(inline.Element) is not { } el) return null;
            var arr = new StructType(s.Name, el.Size * inline.Length);
            arr.Add("items", new ArrayType(el, inline.Length), 0);
            return arr;
        }
        if (Kernel.KernelTypeLayout.GeneratedLayoutOf(s) is { } kernelMark) return Kernel.KernelTypeLayout.Build(this, s, kernelMark, _cache);
        var layout = ReadLayout(s);
        var st = new StructType(s.Name, 0);
        _cache[s] = st; // before members: a struct may hold a pointer to itself
        int offset = 0, maxAlign = 1;
        foreach (var f in s.GetMembers().OfType<IFieldSymbol>().Where(f => !f.IsStatic && !f.IsConst))
        {
            IrType? ft;
            if (f.IsFixedSizeBuffer && f.Type is IPointerTypeSymbol fp)
                ft = Map(fp.PointedAtType) is { } el ? new ArrayType(el, f.FixedSize) : null;
            else
                ft = Map(f.Type);
            if (ft is null) { _cache.Remove(s); return null; }
            int align = Math.Min(ft.Align, layout.Pack > 0 ? layout.Pack : 8);
            int at;
            if (layout.Explicit)
                at = ExplicitOffset(f);
            else
            {
                at = (offset + align - 1) / align * align;
            }
            st.Add(f.Name, ft, at);
            offset = Math.Max(offset, at + ft.Size);
            maxAlign = Math.Max(maxAlign, align);
        }
        int size = (offset + maxAlign - 1) / maxAlign * maxAlign;
        if (layout.Size > size) size = layout.Size;
        if (size == 0) size = 1; // an empty C# struct still occupies a byte
        st.ByteSize = size;
        return st;
    }

    private static int ExplicitOffset(IFieldSymbol f)
    {
        var attr = f.GetAttributes().FirstOrDefault(a => a.AttributeClass?.Name == "FieldOffsetAttribute");
        return attr is { ConstructorArguments.Length: 1 } && attr.ConstructorArguments[0].Value is int o ? o : 0;
    }

    private readonly struct Layout
    {
        public Layout(bool @explicit, int pack, int size) { Explicit = @explicit; Pack = pack; Size = size; }
        public bool Explicit { get; }
        public int Pack { get; }
        public int Size { get; }
    }

    private static Layout ReadLayout(INamedTypeSymbol s)
    {
        var attr = s.GetAttributes().FirstOrDefault(a => a.AttributeClass?.Name == "StructLayoutAttribute");
        if (attr is null) return new Layout(false, 0, 0);
        bool isExplicit = attr.ConstructorArguments.Length == 1 && Convert.ToInt32(attr.ConstructorArguments[0].Value) == 2; // LayoutKind.Explicit
        int pack = 0, size = 0;
        foreach (var kv in attr.NamedArguments)
        {
            if (kv.Key == "Pack" && kv.Value.Value is int p) pack = p;
            if (kv.Key == "Size" && kv.Value.Value is int sz) size = sz;
        }
        return new Layout(isExplicit, pack, size);
    }
}
