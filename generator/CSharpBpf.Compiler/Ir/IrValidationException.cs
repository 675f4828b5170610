using System;
using System.Collections.Generic;

namespace CSharpBpf.Compiler.Ir;

/// <summary>Thrown when IR breaks the rules in <see cref="IrValidator"/>; lists every problem found.</summary>
public sealed class IrValidationException : Exception
{
    public IrValidationException(IReadOnlyList<string> problems)
        : base("invalid IR:\n  " + string.Join("\n  ", problems)) => Problems = problems;

    public IReadOnlyList<string> Problems { get; }
}
