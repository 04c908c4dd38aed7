namespace Theon;

/// <summary>The public entry point: <c>using static Theon.T;</c> brings Theano's lower-case API into scope.</summary>
public static partial class T
{
}
