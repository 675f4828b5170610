using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using CSharpBpf.Compiler.Ir;

namespace CSharpBpf.Compiler.Frontend.Kernel;

/// <summary>
/// IR layout of the generated kernel types (structs marked <c>[KernelType("btf_name")]</c>): named as
/// the kernel names them, flagged <see cref="StructType.IsKernelType"/> (CO-RE), members in offset
/// order with the kernel's member names, bitfields rebuilt from the generated accessor properties
/// (their storage fields <c>__bf_*</c> are an artefact of C# and stay out of the BTF), function
/// pointers as pointers to FUNC_PROTO (libbpf requires that shape for struct_ops members).
/// </summary>
internal static class KernelTypeLayout
{
    public const string AttributeName = "KernelTypeAttribute";
    public const string UapiAttributeName = "UapiTypeAttribute";
    private const string OffsetAttributeName = "KernelOffsetAttribute";
    private const string BitfieldStoragePrefix = "__bf_";

    // the generator's getter: (T)(((ulong)__bf_<byte>_<size> >> <shift>) & 0x<mask>UL)
    private static readonly Regex BitfieldGetter = new(@"__bf_(\d+)_(\d+)\s*>>\s*(\d+)\)\s*&\s*0x([0-9a-fA-F]+)UL", RegexOptions.CultureInvariant);

    /// <summary>The kernel (BTF) name of a generated kernel type ([KernelType]), or null for any other type.</summary>
    public static string? BtfNameOf(ITypeSymbol type) => Mark(type, AttributeName) is { } a ? (string)a.ConstructorArguments[0].Value! : null;

    public static bool IsKernelType(ITypeSymbol type) => BtfNameOf(type) is not null;

    /// <summary>The BTF name and CO-RE flag of a generated kernel ([KernelType]) or UAPI ([UapiType]) type.</summary>
    public static (string Name, bool Core)? GeneratedLayoutOf(ITypeSymbol type)
    {
        if (Mark(type, AttributeName) is { } k) return ((string)k.ConstructorArguments[0].Value!, true);
        if (Mark(type, UapiAttributeName) is { } u) return ((string)u.ConstructorArguments[0].Value!, false);
        return null;
    }

    private static AttributeData? Mark(ITypeSymbol type, string name)
    {
        foreach (var a in type.GetAttributes())
            if (a.AttributeClass is { } c && c.Name == name && c.ContainingNamespace?.ToDisplayString() == KnownSymbols.KernelNamespace
                && a.ConstructorArguments.Length == 1 && a.ConstructorArguments[0].Value is string)
                return a;
        return null;
    }

    /// <summary>Builds the IR struct; registers it in <paramref name="cache"/> first (kernel types point to themselves).</summary>
    public static IrType? Build(TypeMapper mapper, INamedTypeSymbol s, (string Name, bool Core) mark, IDictionary<ITypeSymbol, IrType> cache)
    {
        var st = new StructType(mark.Name, DeclaredSize(s), isKernelType: mark.Core);
        cache[s] = st;
        var members = new List<StructMember>();
        foreach (var f in s.GetMembers().OfType<IFieldSymbol>().Where(f => !f.IsStatic && !f.IsConst))
        {
            if (f.Name.StartsWith(BitfieldStoragePrefix, System.StringComparison.Ordinal)) continue;
            IrType? ft = f.IsFixedSizeBuffer && f.Type is IPointerTypeSymbol fp
                ? mapper.Map(fp.PointedAtType) is { } el ? new ArrayType(el, f.FixedSize) : null
                : mapper.Map(f.Type);
            if (ft is null) { cache.Remove(s); return null; }
            members.Add(new StructMember(f.Name, ft, FieldOffset(f) * 8));
        }
        foreach (var p in s.GetMembers().OfType<IPropertySymbol>().Where(p => !p.IsStatic))
        {
            if (Bitfield(p) is not { } bf || mapper.Map(p.Type) is not { } pt) continue;
            members.Add(new StructMember(p.Name, pt, bf.BitOffset, bf.BitSize));
        }
        // BTF lists members by offset; C# declaration order may differ once bitfields are rebuilt
        foreach (var m in members.OrderBy(m => m.BitOffset)) st.Members.Add(m);
        if (st.ByteSize == 0) st.ByteSize = members.Count == 0 ? 0 : members.Max(m => m.ByteOffset + m.Type.Size);
        return st;
    }

    /// <summary>Bit offset and size of a generated bitfield property, read from its getter; null for other properties.</summary>
    public static (int BitOffset, int BitSize)? Bitfield(IPropertySymbol p)
    {
        foreach (var a in p.GetAttributes())
            if (a.AttributeClass is { Name: "KernelBitfieldAttribute" } && a.ConstructorArguments.Length == 2
                && a.ConstructorArguments[0].Value is int bit && a.ConstructorArguments[1].Value is int width)
                return (bit, width);
        // source-declared (not generated) kernel types: read the accessor the generator writes
        var syntax = p.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax() as PropertyDeclarationSyntax;
        var getter = syntax?.AccessorList?.Accessors.FirstOrDefault(a => a.Keyword.Text == "get");
        var text = getter?.ExpressionBody?.Expression.ToString() ?? syntax?.ExpressionBody?.Expression.ToString();
        if (text is null) return null;
        var m = BitfieldGetter.Match(text);
        if (!m.Success) return null;
        int bytes = int.Parse(m.Groups[1].Value), shift = int.Parse(m.Groups[3].Value);
        ulong mask = ulong.Parse(m.Groups[4].Value, System.Globalization.NumberStyles.HexNumber);
        int bits = 0;
        for (; mask != 0; mask >>= 1) bits += (int)(mask & 1);
        return (bytes * 8 + shift, bits);
    }

    /// <summary>delegate* unmanaged&lt;args, ret&gt; → pointer to FUNC_PROTO (unmappable parameter types become void*).</summary>
    public static IrType FunctionPointer(TypeMapper mapper, IFunctionPointerTypeSymbol fp)
    {
        var sig = fp.Signature;
        var ret = sig.ReturnsVoid ? VoidType.Instance : mapper.Map(sig.ReturnType) ?? new PointerType(VoidType.Instance);
        var ps = sig.Parameters.Select((p, i) => new FuncParam("", mapper.Map(p.Type) ?? new PointerType(VoidType.Instance))).ToList();
        return new PointerType(new FuncProtoType(ret, ps));
    }

    private static int DeclaredSize(INamedTypeSymbol s)
    {
        var attr = Mark(s, AttributeName) ?? Mark(s, UapiAttributeName);
        if (attr is null) return 0;
        foreach (var kv in attr.NamedArguments)
            if (kv.Key == "Size" && kv.Value.Value is int size) return size;
        return 0;
    }

    private static int FieldOffset(IFieldSymbol f)
    {
        var attr = f.GetAttributes().FirstOrDefault(a => a.AttributeClass?.Name is OffsetAttributeName or "FieldOffsetAttribute");
        return attr is { ConstructorArguments.Length: 1 } && attr.ConstructorArguments[0].Value is int o ? o : 0;
    }
}
