using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using CSharpBpf.Compiler.Diagnostics;
using CSharpBpf.Compiler.Frontend.Kernel;

namespace CSharpBpf.Compiler.Frontend.StructOps;

/// <summary>
/// Reads [StructOps("kernel_type", Name = ...)] on a BPF class: each static method named like a
/// function-pointer member of the kernel struct (or carrying [StructOpsMember("m")]) becomes the
/// program "struct_ops/&lt;member&gt;"; its signature must be the member's (same parameter and return types
/// as the generated delegate* unmanaged field). Errors are BPF2101/BPF2102/BPF2104.
/// </summary>
internal static class StructOpsModel
{
    private const string AttributeName = "StructOpsAttribute";
    private const string MemberAttributeName = "StructOpsMemberAttribute";
    public const string ProgramKind = "StructOps";

    public static void Collect(BpfClassModel model, KnownSymbols known, List<DiagnosticInfo> diags)
    {
        var type = model.Type;
        var attr = ApiAttribute(type, AttributeName);
        KernelWriteCheck.Check(type, attr?.ConstructorArguments.FirstOrDefault().Value as string, known.Compilation, diags);
        if (attr is null) return;
        var loc = type.Locations.FirstOrDefault();
        if (attr.ConstructorArguments.Length != 1 || attr.ConstructorArguments[0].Value is not string kernelType) return;
        string name = Named(attr, "Name") as string ?? type.Name;
        bool link = Named(attr, "Link") is true;

        var opsType = known.Compilation.GetTypeByMetadataName(KnownSymbols.KernelNamespace + "." + kernelType);
        if (opsType is null || KernelTypeLayout.BtfNameOf(opsType) != kernelType)
        {
            diags.Add(DiagnosticInfo.Create(BpfDiagnostics.KernelTypeMissing, loc, kernelType));
            return;
        }
        var decl = new StructOpsDeclaration(kernelType, name, link, opsType);
        if (NameCapacity(opsType) is { } capacity && System.Text.Encoding.ASCII.GetByteCount(name) >= capacity)
            diags.Add(DiagnosticInfo.Create(BpfDiagnostics.StructOpsShape, loc, type.Name,
                $"Name \"{name}\" does not fit {kernelType}.name (at most {capacity - 1} characters)"));

        var functionMembers = opsType.GetMembers().OfType<IFieldSymbol>()
            .Where(f => !f.IsStatic && f.Type is IFunctionPointerTypeSymbol)
            .ToDictionary(f => f.Name, f => (IFunctionPointerTypeSymbol)f.Type);
        foreach (var m in type.GetMembers().OfType<IMethodSymbol>().Where(m => m.MethodKind == MethodKind.Ordinary))
        {
            var mloc = m.Locations.FirstOrDefault();
            string? member = null;
            if (ApiAttribute(m, MemberAttributeName) is { ConstructorArguments.Length: 1 } ma && ma.ConstructorArguments[0].Value is string explicitName)
            {
                if (!functionMembers.ContainsKey(explicitName))
                {
                    diags.Add(DiagnosticInfo.Create(BpfDiagnostics.StructOpsShape, mloc, type.Name,
                        $"method '{m.Name}' implements '{explicitName}', but {kernelType} has no function-pointer member of that name (members: {string.Join(", ", functionMembers.Keys)})"));
                    continue;
                }
                member = explicitName;
            }
            else if (functionMembers.ContainsKey(m.Name)) member = m.Name;
            if (member is null || m.GetAttributes().Any(known.IsProgramAttribute)) continue;
            if (decl.Members.ContainsKey(member))
            {
                diags.Add(DiagnosticInfo.Create(BpfDiagnostics.StructOpsShape, mloc, type.Name, $"'{member}' is implemented twice"));
                continue;
            }
            var sig = functionMembers[member].Signature;
            if (!m.IsStatic || m.IsGenericMethod || !SameSignature(m, sig))
            {
                diags.Add(DiagnosticInfo.Create(BpfDiagnostics.StructOpsSignature, mloc, m.Name, kernelType, member,
                    sig.ReturnsVoid ? "void" : sig.ReturnType.ToDisplayString(),
                    string.Join(", ", sig.Parameters.Select((p, i) => p.Type.ToDisplayString() + " " + ParameterName(m, i)))));
                continue;
            }
            decl.Members[member] = m;
            model.Programs.Add(new ProgramSymbol(m, ProgramKind, "struct_ops/" + member));
        }
        if (decl.Members.Count == 0)
            diags.Add(DiagnosticInfo.Create(BpfDiagnostics.StructOpsShape, loc, type.Name,
                $"no method implements a member of {kernelType}; name static methods after its members ({string.Join(", ", functionMembers.Keys)})"));
        model.StructOps = decl;
    }

    private static bool SameSignature(IMethodSymbol m, IMethodSymbol sig)
    {
        if (m.Parameters.Length != sig.Parameters.Length || m.ReturnsVoid != sig.ReturnsVoid) return false;
        if (!m.ReturnsVoid && !SymbolEqualityComparer.Default.Equals(m.ReturnType, sig.ReturnType)) return false;
        for (int i = 0; i < m.Parameters.Length; i++)
            if (m.Parameters[i].RefKind != RefKind.None || !SymbolEqualityComparer.Default.Equals(m.Parameters[i].Type, sig.Parameters[i].Type))
                return false;
        return true;
    }

    private static string ParameterName(IMethodSymbol m, int i) => i < m.Parameters.Length ? m.Parameters[i].Name : "arg" + i;

    /// <summary>Capacity of the ops' char name[N] field, when it has one.</summary>
    private static int? NameCapacity(INamedTypeSymbol ops) =>
        ops.GetMembers("name").OfType<IFieldSymbol>().FirstOrDefault() is { IsFixedSizeBuffer: true } f ? f.FixedSize : null;

    private static AttributeData? ApiAttribute(ISymbol s, string name) =>
        s.GetAttributes().FirstOrDefault(a => a.AttributeClass is { } c && c.Name == name && c.ContainingNamespace?.ToDisplayString() == KnownSymbols.Namespace);

    private static object? Named(AttributeData a, string key) => a.NamedArguments.FirstOrDefault(kv => kv.Key == key).Value.Value;
}
