using Microsoft.CodeAnalysis;
using CSharpBpf.Compiler.Diagnostics;
using CSharpBpf.Compiler.Ir;

namespace CSharpBpf.Compiler.Frontend.StructOps;

/// <summary>
/// Emits the ops instance of a [StructOps] class: a <see cref="StructOpsVariable"/> of the kernel
/// struct's type (its BTF goes into the object), its name field set, each implemented member
/// pointing at its program (the backend writes the .struct_ops section and its relocations).
/// </summary>
internal static class StructOpsLowering
{
    public static void AddVariable(ModuleLowering lowering)
    {
        var decl = lowering.Model.StructOps;
        if (decl is null) return;
        var loc = lowering.Model.Type.Locations.Length > 0 ? lowering.Model.Type.Locations[0] : null;
        if (lowering.Types.Map(decl.OpsType) is not StructType type)
        {
            lowering.Diagnostics.Add(DiagnosticInfo.Create(BpfDiagnostics.UnsupportedType, loc, UnsupportedTypes.Args(decl.OpsType)));
            return;
        }
        var variable = new StructOpsVariable(decl.Name, type, decl.Link) { Location = ModuleLowering.LocationOf(loc) };
        if (type.Member("name") is { Type: ArrayType }) variable.SetString("name", decl.Name);
        foreach (var kv in decl.Members)
            if (lowering.Functions.TryGetValue(kv.Value, out var f)) variable.Programs[kv.Key] = f;
        lowering.Module.StructOps.Add(variable);
    }
}
