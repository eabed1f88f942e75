import { type DemoConfig, PROVIDER_LABELS, type ProviderChoice } from './providers'

interface Props {
  value: ProviderChoice
  onChange(choice: ProviderChoice): void
  config: DemoConfig | undefined
}

/** Local always works; a real provider is selectable once its key is in .env, and says which variable otherwise. */
export function ProviderSwitcher({ value, onChange, config }: Props) {
  return (
    <fieldset className="demo-providers">
      <legend>Provider</legend>
      <label>
        <input
          type="radio"
          name="provider"
          value="local"
          checked={value === 'local'}
          onChange={() => onChange('local')}
        />
        {PROVIDER_LABELS.local} <span className="demo-hint">no key needed</span>
      </label>
      {config?.providers.map(({ name, configured, env }) => (
        <label key={name} data-configured={configured}>
          <input
            type="radio"
            name="provider"
            value={name}
            checked={value === name}
            disabled={!configured}
            onChange={() => onChange(name)}
            aria-describedby={configured ? undefined : `env-${name}`}
          />
          {PROVIDER_LABELS[name]}{' '}
          {!configured && (
            <span className="demo-hint" id={`env-${name}`}>
              set <code>{env}</code> in .env
            </span>
          )}
        </label>
      ))}
    </fieldset>
  )
}
