using System;
using Microsoft.CodeAnalysis;

namespace CSharpBpf.Generator;

/// <summary>
/// Which runtimes the user's compilation references, and so which entry points the skeleton can offer:
/// <c>LoadVm()</c> when it references CSharpBpf.Vm, <c>LoadKernel()</c> when it references CSharpBpf.Linux.
/// The API assembly knows neither runtime and the two runtimes do not know each other, so only the
/// generator, which sees the references, can join them. An equatable value computed from the compilation's
/// reference list in its own pipeline step: an edit of source text yields an equal value, so nothing
/// downstream re-runs, and a reference added or removed re-emits the skeletons without re-lowering them.
/// </summary>
public sealed class SkeletonRuntimes : IEquatable<SkeletonRuntimes>
{
    public const string VmAssembly = "CSharpBpf.Vm";
    public const string LinuxAssembly = "CSharpBpf.Linux";

    /// <summary>Helper types the generated entry points build on; a runtime older than them gets no entry points (rather than code that does not compile).</summary>
    public const string VmHelperType = "CSharpBpf.Vm.Host.VmProgramHandle";
    public const string LinuxHelperType = "CSharpBpf.Linux.Skeleton.KernelProgramHandle";

    public static readonly SkeletonRuntimes None = new(false, false);

    public SkeletonRuntimes(bool vm, bool linux)
    {
        Vm = vm;
        Linux = linux;
    }

    /// <summary>CSharpBpf.Vm is referenced: emit <c>LoadVm</c> and the typed VM instance.</summary>
    public bool Vm { get; }

    /// <summary>CSharpBpf.Linux is referenced: emit <c>LoadKernel</c> and the typed kernel instance.</summary>
    public bool Linux { get; }

    /// <summary>Reads the compilation's references; never throws (a failure means "no entry points").</summary>
    public static SkeletonRuntimes Detect(Compilation compilation)
    {
        try
        {
            bool vm = false, linux = false;
            foreach (var name in compilation.ReferencedAssemblyNames)
            {
                if (name.Name == VmAssembly) vm = true;
                else if (name.Name == LinuxAssembly) linux = true;
            }
            // Only looked up when the assembly is there: most compilations stop at the name scan.
            if (vm && compilation.GetTypeByMetadataName(VmHelperType) is null) vm = false;
            if (linux && compilation.GetTypeByMetadataName(LinuxHelperType) is null) linux = false;
            return vm || linux ? new SkeletonRuntimes(vm, linux) : None;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return None;
        }
    }

    public bool Equals(SkeletonRuntimes? other) => other is not null && Vm == other.Vm && Linux == other.Linux;

    public override bool Equals(object? obj) => Equals(obj as SkeletonRuntimes);

    public override int GetHashCode() => (Vm ? 1 : 0) | (Linux ? 2 : 0);

    public override string ToString() => $"Vm={Vm}, Linux={Linux}";
}
