using Microsoft.CodeAnalysis;
using CSharpBpf.Compiler.Ir;

namespace CSharpBpf.Compiler.Frontend;

/// <summary>The CSharpBpf API types the compiler recognises, resolved once per compilation by metadata name.</summary>
public sealed class KnownSymbols
{
    public const string Namespace = "CSharpBpf";
    public const string KernelNamespace = "CSharpBpf.Kernel";

    /// <summary>Metadata names of the program attributes (the generator builds one pipeline per name).</summary>
    public static readonly string[] ProgramAttributeNames =
    {
        "CSharpBpf.XdpAttribute",
        "CSharpBpf.SocketFilterAttribute",
        "CSharpBpf.CgroupSkbAttribute",
        "CSharpBpf.SchedClsAttribute",
        // kernelkinds
        "CSharpBpf.SockOpsAttribute",
        "CSharpBpf.CgroupSysctlAttribute",
        "CSharpBpf.CgroupSockoptAttribute",
        "CSharpBpf.RawTracepointAttribute",
        "CSharpBpf.TpBtfAttribute",
        "CSharpBpf.FentryAttribute",
        "CSharpBpf.FexitAttribute",
        "CSharpBpf.ExtensionAttribute",
    };

    public KnownSymbols(Compilation c)
    {
        Compilation = c;
        ProgramAttribute = c.GetTypeByMetadataName("CSharpBpf.BpfProgramAttribute");
        MapAttribute = c.GetTypeByMetadataName("CSharpBpf.MapAttribute");
        GlobalAttribute = c.GetTypeByMetadataName("CSharpBpf.GlobalAttribute");
        UnrollAttribute = c.GetTypeByMetadataName("CSharpBpf.UnrollAttribute");
        InlineAttribute = c.GetTypeByMetadataName("CSharpBpf.InlineAttribute");
        LicenseAttribute = c.GetTypeByMetadataName("CSharpBpf.LicenseAttribute");
        Bpf = c.GetTypeByMetadataName("CSharpBpf.Bpf");
        RingBuf = c.GetTypeByMetadataName("CSharpBpf.RingBuf");
        XdpMd = c.GetTypeByMetadataName("CSharpBpf.Kernel.xdp_md");
        SkBuff = c.GetTypeByMetadataName("CSharpBpf.Kernel.__sk_buff");
    }

    public Compilation Compilation { get; }
    public INamedTypeSymbol? ProgramAttribute { get; }
    public INamedTypeSymbol? MapAttribute { get; }
    public INamedTypeSymbol? GlobalAttribute { get; }
    public INamedTypeSymbol? UnrollAttribute { get; }
    public INamedTypeSymbol? InlineAttribute { get; }
    public INamedTypeSymbol? LicenseAttribute { get; }
    public INamedTypeSymbol? Bpf { get; }
    public INamedTypeSymbol? RingBuf { get; }
    public INamedTypeSymbol? XdpMd { get; }
    public INamedTypeSymbol? SkBuff { get; }

    public static bool IsInApiNamespace(ISymbol? s) => s?.ContainingNamespace?.ToDisplayString() == Namespace;

    /// <summary>The BPF map type of a CSharpBpf map struct (by its generic definition's name), or null.</summary>
    public static BpfMapType? MapTypeOf(ITypeSymbol? type)
    {
        if (type is not INamedTypeSymbol nt || !IsInApiNamespace(nt)) return null;
        return nt.MetadataName switch
        {
            "ArrayMap`1" => BpfMapType.Array,
            "PercpuArrayMap`1" => BpfMapType.PercpuArray,
            "HashMap`2" => BpfMapType.Hash,
            "PercpuHashMap`2" => BpfMapType.PercpuHash,
            "LruHashMap`2" => BpfMapType.LruHash,
            "DevMapHash" => BpfMapType.DevmapHash,
            "RingBuf" => BpfMapType.Ringbuf,
            "ProgArray" => BpfMapType.ProgArray,
            "SkStorageMap`1" => BpfMapType.SkStorage, // kernelkinds
            _ => null,
        };
    }

    public static bool HasAttribute(ISymbol s, INamedTypeSymbol? attr) =>
        attr is not null && System.Linq.Enumerable.Any(s.GetAttributes(), a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, attr));

    public static AttributeData? GetAttribute(ISymbol s, INamedTypeSymbol? attr) =>
        attr is null ? null : System.Linq.Enumerable.FirstOrDefault(s.GetAttributes(), a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, attr));

    /// <summary>True for attributes deriving from BpfProgramAttribute.</summary>
    public bool IsProgramAttribute(AttributeData a)
    {
        for (var t = a.AttributeClass; t is not null; t = t.BaseType)
            if (SymbolEqualityComparer.Default.Equals(t, ProgramAttribute)) return true;
        return false;
    }
}
