export function NotFound() {
  return (
    <>
      <h1>Page not found</h1>
      <p>
        There is no such page in the console. <a href="#/">Go to the dashboard</a>.
      </p>
    </>
  );
}
