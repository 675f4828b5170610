using System;
using Microsoft.CodeAnalysis;

namespace CSharpBpf.Generator;

/// <summary>
/// The pipeline's per-class input. Equality is the class's metadata name plus a fingerprint of
/// everything its compilation depends on (<see cref="ClassFingerprint"/>), so an edit elsewhere leaves
/// it equal and the expensive lowering step is served from the cache. It carries the compilation to
/// lower with, deliberately left out of equality: when the fingerprint is unchanged, the compilation
/// is never used, and when it changed, it is the current one.
/// </summary>
internal sealed class BpfClassInput : IEquatable<BpfClassInput>
{
    public BpfClassInput(string metadataName, string fingerprint, Compilation compilation)
    {
        MetadataName = metadataName;
        Fingerprint = fingerprint;
        Compilation = compilation;
    }

    public string MetadataName { get; }
    public string Fingerprint { get; }
    public Compilation Compilation { get; }

    public INamedTypeSymbol? ResolveSymbol() => Compilation.GetTypeByMetadataName(MetadataName);

    public bool Equals(BpfClassInput? other) =>
        other is not null && MetadataName == other.MetadataName && Fingerprint == other.Fingerprint;

    public override bool Equals(object? obj) => Equals(obj as BpfClassInput);

    public override int GetHashCode() => MetadataName.GetHashCode() ^ Fingerprint.GetHashCode();

    public override string ToString() => MetadataName;
}
