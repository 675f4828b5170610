using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace CSharpBpf.Compiler.Frontend.StructOps;

/// <summary>A [StructOps] class: which kernel ops struct it fills, its instance name, and member → method.</summary>
public sealed class StructOpsDeclaration
{
    public StructOpsDeclaration(string kernelType, string name, bool link, INamedTypeSymbol opsType)
    {
        KernelType = kernelType;
        Name = name;
        Link = link;
        OpsType = opsType;
    }

    /// <summary>The kernel struct, e.g. tcp_congestion_ops.</summary>
    public string KernelType { get; }
    /// <summary>Variable name and the ops' name field.</summary>
    public string Name { get; }
    public bool Link { get; }
    /// <summary>The generated C# type of the kernel struct.</summary>
    public INamedTypeSymbol OpsType { get; }
    public Dictionary<string, IMethodSymbol> Members { get; } = new();
}
