using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using CSharpBpf.Compiler.Diagnostics;
using CSharpBpf.Compiler.Ir;

namespace CSharpBpf.Compiler.Frontend;

/// <summary>One program method: its libbpf section and the context type its parameter must point to.</summary>
public sealed record ProgramSymbol(IMethodSymbol Method, string Kind, string Section);

/// <summary>One [Map] static field.</summary>
public sealed record MapSymbol(IFieldSymbol Field, BpfMapType Type, ITypeSymbol? Key, ITypeSymbol? Value, int MaxEntries, uint Flags, int Pinning);

/// <summary>
/// What a BPF class declares: programs, maps, global variables, license. Built from symbols,
/// with the BPF2xxx shape diagnostics (class not static partial, wrong program signatures, bad maps).
/// </summary>
public sealed class BpfClassModel
{
    public BpfClassModel(INamedTypeSymbol type) => Type = type;

    public INamedTypeSymbol Type { get; }
    public List<ProgramSymbol> Programs { get; } = new();
    public List<MapSymbol> Maps { get; } = new();
    public List<IFieldSymbol> Globals { get; } = new();
    public string License { get; set; } = "GPL";
    /// <summary>The [StructOps] declaration of the class, if any (kernelkinds).</summary>
    public Frontend.StructOps.StructOpsDeclaration? StructOps { get; set; }

    public static BpfClassModel Build(INamedTypeSymbol type, KnownSymbols known, List<DiagnosticInfo> diags)
    {
        var model = new BpfClassModel(type);
        var loc = type.Locations.FirstOrDefault();
        bool isPartial = type.DeclaringSyntaxReferences.Any(r =>
            r.GetSyntax() is Microsoft.CodeAnalysis.CSharp.Syntax.TypeDeclarationSyntax t &&
            t.Modifiers.Any(m => m.Text == "partial"));
        if (!type.IsStatic || !isPartial || type.ContainingType is not null || type.IsGenericType)
            diags.Add(DiagnosticInfo.Create(BpfDiagnostics.ClassShape, loc, type.Name));

        if (KnownSymbols.GetAttribute(type, known.LicenseAttribute) is { ConstructorArguments.Length: 1 } lic && lic.ConstructorArguments[0].Value is string l)
            model.License = l;

        foreach (var member in type.GetMembers())
        {
            if (member is IMethodSymbol m && m.MethodKind == MethodKind.Ordinary) AddProgram(model, m, known, diags);
            else if (member is IFieldSymbol f && !f.IsConst && !f.IsImplicitlyDeclared) AddField(model, f, known, diags);
        }
        Frontend.StructOps.StructOpsModel.Collect(model, known, diags); // kernelkinds: [StructOps] classes and kernel-field writes
        return model;
    }

    private static void AddProgram(BpfClassModel model, IMethodSymbol m, KnownSymbols known, List<DiagnosticInfo> diags)
    {
        var attrs = m.GetAttributes().Where(known.IsProgramAttribute).ToList();
        if (attrs.Count == 0) return;
        var loc = m.Locations.FirstOrDefault();
        if (attrs.Count > 1) { diags.Add(DiagnosticInfo.Create(BpfDiagnostics.MultipleProgramAttributes, loc, m.Name)); return; }
        var attr = attrs[0];
        if (Kernel.KernelProgramKinds.TryAdd(model, m, attr, known, diags)) return; // kernelkinds: sockops, cgroup/*, tracing, freplace
        string kind = attr.AttributeClass!.Name.Replace("Attribute", "");
        string section = kind switch
        {
            "Xdp" => "xdp",
            "SocketFilter" => "socket",
            "SchedCls" => "tc",
            "CgroupSkb" => attr.ConstructorArguments.Length == 1 && System.Convert.ToInt32(attr.ConstructorArguments[0].Value) == 1
                ? "cgroup_skb/egress" : "cgroup_skb/ingress",
            _ => kind.ToLowerInvariant(),
        };
        var ctx = kind == "Xdp" ? known.XdpMd : known.SkBuff;
        string ctxName = kind == "Xdp" ? "xdp_md* ctx" : "__sk_buff* skb";
        string ret = kind switch { "Xdp" => "XdpAction", "SchedCls" => "TcAction", _ => "int" };
        bool okParam = m.Parameters.Length == 1 && m.Parameters[0].RefKind == RefKind.None &&
                       m.Parameters[0].Type is IPointerTypeSymbol pt && SymbolEqualityComparer.Default.Equals(pt.PointedAtType, ctx);
        bool okReturn = m.ReturnType.SpecialType is SpecialType.System_Int32 or SpecialType.System_UInt32 ||
                        (m.ReturnType.TypeKind == TypeKind.Enum && m.ReturnType.Name == ret);
        if (!m.IsStatic || m.IsGenericMethod || !okParam || !okReturn || m.ReturnsByRef)
        {
            diags.Add(DiagnosticInfo.Create(BpfDiagnostics.ProgramSignature, loc, m.Name, ret + " (or int)", ctxName));
            return;
        }
        model.Programs.Add(new ProgramSymbol(m, kind, section));
    }

    private static void AddField(BpfClassModel model, IFieldSymbol f, KnownSymbols known, List<DiagnosticInfo> diags)
    {
        var loc = f.Locations.FirstOrDefault();
        var mapType = KnownSymbols.MapTypeOf(f.Type);
        var mapAttr = KnownSymbols.GetAttribute(f, known.MapAttribute);
        if (mapType is null)
        {
            if (mapAttr is not null) { diags.Add(DiagnosticInfo.Create(BpfDiagnostics.MapShape, loc, f.Name, "has [Map] but its type is not a CSharpBpf map type")); return; }
            if (f.IsStatic) model.Globals.Add(f);
            return;
        }
        if (!f.IsStatic) { diags.Add(DiagnosticInfo.Create(BpfDiagnostics.MapShape, loc, f.Name, "is not static")); return; }
        if (mapAttr is null) { diags.Add(DiagnosticInfo.Create(BpfDiagnostics.MapShape, loc, f.Name, "has no [Map] attribute")); return; }
        uint max = 0, flags = 0;
        int pin = 0;
        foreach (var kv in mapAttr.NamedArguments)
        {
            if (kv.Key == "MaxEntries") max = System.Convert.ToUInt32(kv.Value.Value);
            if (kv.Key == "Flags") flags = System.Convert.ToUInt32(kv.Value.Value);
            if (kv.Key == "Pinning") pin = System.Convert.ToInt32(kv.Value.Value);
        }
        if (mapType == BpfMapType.SkStorage) // kernelkinds: sk_storage has no size and must not preallocate
        {
            model.Maps.Add(new MapSymbol(f, mapType.Value, known.Compilation.GetSpecialType(SpecialType.System_Int32), ((INamedTypeSymbol)f.Type).TypeArguments[0], 0, flags | 1u, pin));
            return;
        }
        if (max == 0 || max > int.MaxValue) { diags.Add(DiagnosticInfo.Create(BpfDiagnostics.MapShape, loc, f.Name, "needs MaxEntries greater than 0")); return; }
        if (mapType == BpfMapType.Ringbuf && (max % 4096 != 0 || (max & (max - 1)) != 0))
        {
            diags.Add(DiagnosticInfo.Create(BpfDiagnostics.MapShape, loc, f.Name, $"is a ring buffer of {max} bytes, but its size must be a power of two and a multiple of 4096"));
            return;
        }
        var args = ((INamedTypeSymbol)f.Type).TypeArguments;
        var uintType = known.Compilation.GetSpecialType(SpecialType.System_UInt32);
        (ITypeSymbol? key, ITypeSymbol? value) = mapType switch
        {
            BpfMapType.Array or BpfMapType.PercpuArray => ((ITypeSymbol?)uintType, (ITypeSymbol?)args[0]),
            BpfMapType.Hash or BpfMapType.PercpuHash or BpfMapType.LruHash => (args[0], args[1]),
            BpfMapType.DevmapHash or BpfMapType.ProgArray => (uintType, uintType),
            _ => (null, null),
        };
        model.Maps.Add(new MapSymbol(f, mapType.Value, key, value, (int)max, flags, pin));
    }
}
