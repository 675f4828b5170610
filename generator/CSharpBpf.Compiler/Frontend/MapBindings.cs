using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using CSharpBpf.Compiler.Ir;

namespace CSharpBpf.Compiler.Frontend;

/// <summary>
/// The maps bound to the map-typed parameters of one specialisation of a helper method
/// (e.g. <c>static void Bump(HashMap&lt;uint, long&gt; m, uint k)</c> called with <c>Table</c>).
/// </summary>
internal sealed class MapBindings
{
    private readonly Dictionary<IParameterSymbol, MapDefinition> _byParameter = new(SymbolEqualityComparer.Default);

    public void Bind(IParameterSymbol parameter, MapDefinition map) => _byParameter[parameter.OriginalDefinition] = map;

    public bool TryGet(IParameterSymbol parameter, out MapDefinition map) => _byParameter.TryGetValue(parameter.OriginalDefinition, out map!);

    public int Count => _byParameter.Count;

    /// <summary>Identity of the specialisation: the bound maps' names in parameter order.</summary>
    public string Key => string.Join(",", _byParameter.OrderBy(kv => kv.Key.Ordinal).Select(kv => kv.Value.Name));

    public static bool IsMapParameter(IParameterSymbol p) => p.RefKind == RefKind.None && KnownSymbols.MapTypeOf(p.Type) is not null;
}
