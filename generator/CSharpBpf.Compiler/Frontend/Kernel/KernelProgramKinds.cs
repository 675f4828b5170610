using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using CSharpBpf.Compiler.Diagnostics;

namespace CSharpBpf.Compiler.Frontend.Kernel;

/// <summary>
/// The kernel-facing program kinds: their libbpf section and the signature their method must have.
/// Context kinds take one pointer to their UAPI context; argument kinds (raw_tp, tp_btf, fentry,
/// fexit) take the traced function's arguments (integers, enums, pointers; read from the u64 ctx
/// array); an extension takes the replaced [Global] function's parameters.
/// </summary>
internal static class KernelProgramKinds
{
    /// <summary>Kernel limit on traced-function arguments (MAX_BPF_FUNC_ARGS).</summary>
    private const int MaxArguments = 12;

    private static readonly Dictionary<string, string> ContextOf = new()
    {
        ["SockOps"] = "bpf_sock_ops",
        ["CgroupSysctl"] = "bpf_sysctl",
        ["CgroupSockopt"] = "bpf_sockopt",
    };

    private static readonly Dictionary<string, string> ArgumentPrefix = new()
    {
        ["RawTracepoint"] = "raw_tp",
        ["TpBtf"] = "tp_btf",
        ["Fentry"] = "fentry",
        ["Fexit"] = "fexit",
    };

    /// <summary>Adds <paramref name="m"/> when its attribute is one of these kinds (true), else leaves it to the core kinds (false).</summary>
    public static bool TryAdd(BpfClassModel model, IMethodSymbol m, AttributeData attr, KnownSymbols known, List<DiagnosticInfo> diags)
    {
        var cls = attr.AttributeClass;
        if (cls is null || !KnownSymbols.IsInApiNamespace(cls)) return false;
        string kind = cls.Name.EndsWith("Attribute") ? cls.Name.Substring(0, cls.Name.Length - "Attribute".Length) : cls.Name;
        var loc = m.Locations.FirstOrDefault();
        var args = attr.ConstructorArguments;
        bool intReturn = m.ReturnType.SpecialType is SpecialType.System_Int32 or SpecialType.System_UInt32;

        if (ContextOf.TryGetValue(kind, out var ctx))
        {
            string section = kind switch
            {
                "SockOps" => "sockops",
                "CgroupSysctl" => "cgroup/sysctl",
                _ => args.Length == 1 && System.Convert.ToInt32(args[0].Value) == 0 ? "cgroup/getsockopt" : "cgroup/setsockopt",
            };
            var ctxType = known.Compilation.GetTypeByMetadataName(KnownSymbols.KernelNamespace + "." + ctx);
            bool okParam = m.Parameters.Length == 1 && m.Parameters[0].RefKind == RefKind.None &&
                           m.Parameters[0].Type is IPointerTypeSymbol pt && SymbolEqualityComparer.Default.Equals(pt.PointedAtType, ctxType);
            if (!m.IsStatic || m.IsGenericMethod || !okParam || !intReturn)
                diags.Add(DiagnosticInfo.Create(BpfDiagnostics.ProgramSignature, loc, m.Name, "int", ctx + "* ctx"));
            else model.Programs.Add(new ProgramSymbol(m, kind, section));
            return true;
        }
        if (ArgumentPrefix.TryGetValue(kind, out var prefix))
        {
            if (args.Length != 1 || args[0].Value is not string target || target.Length == 0) return true; // C# reports the bad attribute
            bool okParams = m.Parameters.Length <= MaxArguments && m.Parameters.All(p => p.RefKind == RefKind.None &&
                (p.Type is IPointerTypeSymbol || p.Type.TypeKind == TypeKind.Enum || TypeMapper.Primitive(p.Type) is Ir.IntType or Ir.BoolType));
            if (!m.IsStatic || m.IsGenericMethod || !okParams || !intReturn)
                diags.Add(DiagnosticInfo.Create(BpfDiagnostics.ProgramSignature, loc, m.Name, "int", "the traced function's arguments: integers, enums or pointers, at most 12"));
            else model.Programs.Add(new ProgramSymbol(m, kind, prefix + "/" + target));
            return true;
        }
        if (kind == "Extension")
        {
            if (args.Length != 2 || args[0].Value is not INamedTypeSymbol targetClass || args[1].Value is not string function) return true;
            var replaced = targetClass.GetMembers(function).OfType<IMethodSymbol>()
                .FirstOrDefault(f => KnownSymbols.HasAttribute(f, known.GlobalAttribute));
            if (replaced is null)
            {
                diags.Add(DiagnosticInfo.Create(BpfDiagnostics.ProgramSignature, loc, m.Name, "int",
                    $"the parameters of a [Global] function '{function}' of {targetClass.Name} (it has none of that name)"));
                return true;
            }
            bool same = m.IsStatic && !m.IsGenericMethod && m.Parameters.Length == replaced.Parameters.Length &&
                        SymbolEqualityComparer.Default.Equals(m.ReturnType, replaced.ReturnType) &&
                        m.Parameters.Zip(replaced.Parameters, (a, b) => SymbolEqualityComparer.Default.Equals(a.Type, b.Type) && a.RefKind == RefKind.None).All(x => x);
            if (!same)
                diags.Add(DiagnosticInfo.Create(BpfDiagnostics.ProgramSignature, loc, m.Name, replaced.ReturnType.ToDisplayString(),
                    string.Join(", ", replaced.Parameters.Select(p => p.Type.ToDisplayString() + " " + p.Name))));
            else model.Programs.Add(new ProgramSymbol(m, kind, "freplace/" + function));
            return true;
        }
        return false;
    }
}
